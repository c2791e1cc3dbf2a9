package io.driftwatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The archive files a command was given, resolved before anything is read: plain files as they are,
 * folders searched recursively for files whose name matches a glob (in name order, so a run is
 * reproducible), and '-' for standard input, which is copied to a temporary file so that it can be
 * checked first and read after. Every problem is a {@link UserFacingException} naming the path.
 */
final class ArchiveInputs {

  /**
   * One archive to read.
   *
   * @param path where its bytes are (a temporary copy for standard input)
   * @param given how the user named it, for messages
   * @param name how it is named in sources and generation ids: its file name, or the path as given when
   *     two files share a name, so that no two rows get one id
   */
  record Archive(Path path, String given, String name) {}

  private ArchiveInputs() {}

  static List<Archive> resolve(List<String> args, String glob) {
    if (args.stream().filter("-"::equals).count() > 1) {
      throw new UserFacingException("standard input ('-') can be read once per command");
    }
    PathMatcher matcher = matcher(glob);
    List<String[]> found = new ArrayList<>(); // {path, as given}
    for (String arg : args) {
      if (arg.equals("-")) {
        found.add(new String[] {stdinCopy().toString(), "-"});
        continue;
      }
      Path path = Path.of(arg);
      if (!Files.exists(path)) {
        throw new UserFacingException(arg + ": no such file or folder; give archive files, folders of them, or - for standard input");
      }
      if (Files.isDirectory(path)) {
        List<Path> inFolder = walk(path, matcher);
        if (inFolder.isEmpty()) {
          throw new UserFacingException(arg + ": a folder with no file matching --glob '" + glob + "' in it or below; "
              + "give another folder or another --glob");
        }
        inFolder.forEach(p -> found.add(new String[] {p.toString(), p.toString()}));
      } else if (!Files.isReadable(path)) {
        throw new UserFacingException(arg + ": not readable by this user; check its permissions");
      } else {
        found.add(new String[] {arg, arg});
      }
    }
    Map<String, Long> byName = found.stream().collect(Collectors.groupingBy(f -> fileName(f[1]), Collectors.counting()));
    List<Archive> out = new ArrayList<>();
    for (String[] f : found) {
      out.add(new Archive(Path.of(f[0]), f[1], byName.get(fileName(f[1])) > 1 ? f[1] : fileName(f[1])));
    }
    return out;
  }

  private static String fileName(String given) {
    return given.equals("-") ? "stdin" : Path.of(given).getFileName().toString();
  }

  private static PathMatcher matcher(String glob) {
    try {
      return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException("--glob '" + glob + "' is not a glob pattern: " + e.getMessage());
    }
  }

  private static List<Path> walk(Path folder, PathMatcher matcher) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> !hidden(folder.relativize(p)))
          .filter(p -> matcher.matches(p.getFileName()))
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new UserFacingException(folder + ": cannot list this folder (" + e.getMessage() + "); check its permissions");
    }
  }

  /** Whether a path below the folder is, or is inside, a hidden file or folder (.git, .cache, ...). */
  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** Standard input, copied once to a temporary file that is deleted when the JVM exits. */
  private static Path stdinCopy() {
    try {
      Path copy = Files.createTempFile("driftwatch-stdin-", ".archive");
      copy.toFile().deleteOnExit();
      // System.in stays open: it is not this class's to close.
      InputStream in = System.in;
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      return copy;
    } catch (IOException e) {
      throw new UserFacingException("standard input: cannot be read (" + e.getMessage() + ")");
    }
  }
}
