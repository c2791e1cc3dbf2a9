package io.driftwatch.producers.calibration;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Legitimate repetitive output that a monitor must not call a loop: markdown tables, numbered and bulleted
 * lists, code with repeated lines, JSON arrays of similar objects, CSV, and verse with refrains. Each text
 * is made by a generator from a seed and word lists (the verse partly from the songs of the bundled
 * Shakespeare), so the corpus is the same on every machine and can be made larger with more seeds.
 *
 * <p>Every text has scenario {@code legit-repetition}, changeAt -1, a genre naming its kind ({@code
 * table}, {@code list}, {@code code}, {@code json}, {@code csv}, {@code verse}), 80-400 words, and falls
 * in the held-out half by a stable hash of its id ({@link Books#holdout}).
 *
 * <p>Why one long class: most of it is data (the word lists) and one short generator per kind of text,
 * all drawing from one seeded {@link java.util.Random} in a fixed order; keeping them together keeps
 * that order, and so the corpus, visible and unchanged.
 */
public final class LegitimateRepetition {

  public static final String SCENARIO = "legit-repetition";
  public static final List<String> GENRES = List.of("table", "list", "code", "json", "csv", "verse");
  public static final int MIN_WORDS = 80;
  public static final int MAX_WORDS = 400;
  /** The standard corpus: this seed, this many texts of each genre. */
  public static final long STANDARD_SEED = 16;
  public static final int STANDARD_PER_GENRE = 25;

  private LegitimateRepetition() {}

  /** The standard corpus: {@value #STANDARD_PER_GENRE} texts of each genre from seed {@value #STANDARD_SEED}. */
  public static List<LabelledText> standard() {
    return generate(STANDARD_SEED, STANDARD_PER_GENRE);
  }

  /** {@code perGenre} texts of each genre, the same for the same seed. */
  public static List<LabelledText> generate(long seed, int perGenre) {
    List<LabelledText> out = new ArrayList<>();
    for (String genre : GENRES) {
      for (int i = 0; i < perGenre; i++) {
        String id = "legit-" + genre + "-" + seed + "-" + i;
        Random random = new Random(seed * 1_000_003L + genre.hashCode() * 7919L + i);
        String[] made = make(genre, i, random);
        out.add(new LabelledText(id, genre, SCENARIO, made[0], made[1], -1, Books.holdout(id)));
      }
    }
    return out;
  }

  private static String[] make(String genre, int i, Random r) {
    List<BiFunction<Integer, Random, String[]>> kinds = switch (genre) {
      case "table" -> List.of(LegitimateRepetition::productTable, LegitimateRepetition::cityTable,
          LegitimateRepetition::scheduleTable, LegitimateRepetition::featureMatrix, LegitimateRepetition::gradesTable);
      case "list" -> List.of(LegitimateRepetition::recipe, LegitimateRepetition::checklist, LegitimateRepetition::instructions,
          LegitimateRepetition::rankedList, LegitimateRepetition::agenda, LegitimateRepetition::contents);
      case "code" -> List.of(LegitimateRepetition::javaBean, LegitimateRepetition::javaSwitch, LegitimateRepetition::pythonConfig,
          LegitimateRepetition::sqlInserts, LegitimateRepetition::yamlServices, LegitimateRepetition::htmlList);
      case "json" -> List.of(LegitimateRepetition::jsonUsers, LegitimateRepetition::jsonProducts, LegitimateRepetition::jsonEvents);
      case "csv" -> List.of(LegitimateRepetition::csvSales, LegitimateRepetition::csvSensors, LegitimateRepetition::csvContacts);
      case "verse" -> List.of(LegitimateRepetition::shakespeareSongs, LegitimateRepetition::refrainSong,
          LegitimateRepetition::cumulativeSong, LegitimateRepetition::refrainSong);
      default -> throw new IllegalArgumentException(genre);
    };
    for (int attempt = 0; ; attempt++) {
      String[] made = kinds.get(i % kinds.size()).apply(i, r);
      int words = Books.words(made[1]);
      if (words >= MIN_WORDS && words <= MAX_WORDS) {
        return made;
      }
      if (attempt > 50) {
        throw new IllegalStateException(genre + " " + i + " keeps coming out at " + words + " words");
      }
    }
  }

  // ---- word lists ----

  private static final String[] FIRST = {"Alice", "Bruno", "Chen", "Dana", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas",
      "Kemi", "Lars", "Maya", "Nikos", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wen", "Yusuf", "Zoe"};
  private static final String[] LAST = {"Adams", "Baker", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito",
      "Jensen", "Kowalski", "Lopez", "Martin", "Nowak", "Okafor", "Petrov", "Quist", "Rossi", "Silva", "Tanaka", "Varga", "Weber"};
  private static final String[] CITY = {"Lisbon", "Oslo", "Nairobi", "Lima", "Osaka", "Krakow", "Denver", "Porto", "Hanoi",
      "Cairo", "Quito", "Tallinn", "Perth", "Dakar", "Bergen", "Austin", "Leeds", "Seville", "Turin", "Accra", "Busan", "Cork"};
  private static final String[] COUNTRY = {"Portugal", "Norway", "Kenya", "Peru", "Japan", "Poland", "USA", "Vietnam", "Egypt",
      "Ecuador", "Estonia", "Australia", "Senegal", "UK", "Spain", "Italy", "Ghana", "Korea", "Ireland"};
  private static final String[] PRODUCT = {"desk lamp", "water bottle", "notebook", "backpack", "headphones", "kettle",
      "yoga mat", "phone stand", "wool scarf", "rain jacket", "coffee grinder", "chef knife", "cutting board", "tea towel",
      "picture frame", "plant pot", "bike light", "power bank", "travel mug", "desk chair", "monitor arm", "keyboard"};
  private static final String[] CATEGORY = {"Home", "Kitchen", "Outdoor", "Office", "Electronics", "Sports", "Garden"};
  private static final String[] ADJ = {"quiet", "bright", "golden", "silver", "green", "narrow", "gentle", "cold", "distant",
      "empty", "broken", "hollow", "sweet", "wild", "weary", "little", "faithful", "lonely", "crimson", "misty"};
  private static final String[] NOUN = {"river", "meadow", "lantern", "harbour", "sparrow", "willow", "mountain", "candle",
      "orchard", "chapel", "valley", "shepherd", "sailor", "garden", "morning", "winter", "ferry", "railway", "kitchen", "cradle"};
  private static final String[] VERB = {"sings", "sleeps", "waits", "wanders", "shines", "calls", "turns", "falls", "burns",
      "rests", "whispers", "lingers", "dances", "trembles", "glimmers"};
  private static final String[] PLACE = {"hill", "shore", "bridge", "gate", "door", "wall", "well", "mill", "road", "sea"};
  private static final String[] FEATURE = {"Single sign-on", "Audit log", "API access", "Custom domains", "Two-factor login",
      "Priority support", "Data export", "Role-based access", "Usage reports", "Webhooks", "Unlimited projects", "Backups",
      "Team folders", "Offline mode", "Dark theme", "Shared calendars", "Guest accounts", "Version history", "SLA", "Sandbox"};
  private static final String[] SUBJECT = {"Math", "Physics", "History", "Biology", "Chemistry", "English", "Art", "Music"};
  private static final String[] TOPIC = {"Kafka Streams", "state stores", "schema evolution", "observability", "load testing",
      "incident review", "capacity planning", "feature flags", "data retention", "on-call handover", "cost report", "roadmap"};
  private static final String[] ROOM = {"A101", "A102", "B12", "Main hall", "Library", "Lab 3", "Studio", "Room 7"};
  private static final String[] INGREDIENT = {"flour", "sugar", "butter", "eggs", "milk", "salt", "baking powder", "vanilla",
      "onion", "garlic", "olive oil", "tomatoes", "basil", "rice", "lentils", "carrots", "cumin", "lemon juice", "honey", "oats"};
  private static final String[] UNIT = {"cups", "tablespoons", "teaspoons", "grams", "cloves", "pinches", "large"};
  private static final String[] THING = {"front door", "back window", "gas valve", "smoke alarm", "water heater", "fuse box",
      "garage door", "fridge seal", "bathroom fan", "attic hatch", "garden tap", "heating filter", "boiler pressure",
      "fire extinguisher", "porch light", "dryer vent", "drain cover", "roof gutter"};
  private static final String[] STATE = {"closed", "locked", "working", "clean", "dry", "switched off", "labelled", "tested"};
  private static final String[] FIELD = {"name", "email", "phone", "address", "city", "country", "age", "status", "role",
      "createdAt", "updatedAt", "balance", "score", "title", "company", "department", "manager", "salary"};
  private static final String[] SERVICE = {"api", "worker", "scheduler", "postgres", "redis", "kafka", "gateway", "search",
      "mailer", "auth", "billing", "frontend", "metrics", "grafana"};
  private static final String[] STATUS = {"ok", "warn", "ok", "ok", "error", "ok", "degraded"};

  private static String pick(String[] a, Random r) {
    return a[r.nextInt(a.length)];
  }

  private static List<String> distinct(String[] a, int n, Random r) {
    Set<String> out = new LinkedHashSet<>();
    while (out.size() < Math.min(n, a.length)) {
      out.add(pick(a, r));
    }
    return new ArrayList<>(out);
  }

  private static int target(Random r) {
    return 100 + r.nextInt(280);
  }

  private static String cap(String s) {
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  /** Appends rows while the text stays within {@code target} words. */
  private static void fill(StringBuilder b, int target, java.util.function.IntFunction<String> row) {
    for (int k = 0; k < 500; k++) {
      String next = row.apply(k);
      if (Books.words(b + next) > target && Books.words(b.toString()) >= MIN_WORDS) {
        return;
      }
      b.append(next);
    }
  }

  // ---- tables ----

  private static String[] productTable(int i, Random r) {
    StringBuilder b = new StringBuilder("Here is the current inventory:\n\n| Product | Category | Price | Stock | Rating |\n|---|---|---|---|---|\n");
    fill(b, target(r) - 20, k -> String.format(Locale.ROOT, "| %s %s | %s | $%d.%02d | %d | %.1f |%n", cap(pick(ADJ, r)),
        pick(PRODUCT, r), pick(CATEGORY, r), 5 + r.nextInt(200), r.nextInt(100), r.nextInt(500), 2.5 + r.nextInt(25) / 10.0));
    b.append("\nPrices include tax. Items with a stock below ten are reordered automatically every Monday morning.");
    return new String[] {"List the products in stock as a markdown table with category, price, stock and rating.", b.toString()};
  }

  private static String[] cityTable(int i, Random r) {
    StringBuilder b = new StringBuilder("| City | Country | Population | Area (km²) | Founded | Notes |\n|------|---------|-----------:|----------:|--------:|-------|\n");
    fill(b, target(r) - 16, k -> String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %d | %s %s |%n", pick(CITY, r), pick(COUNTRY, r),
        50_000 + r.nextInt(5_000_000), 40 + r.nextInt(3000), 800 + r.nextInt(1100), cap(pick(ADJ, r)), pick(NOUN, r)));
    b.append("\nPopulation figures are the latest census estimates; areas are for the municipality, not the metro region.");
    return new String[] {"Make a table of cities with their country, population, area and founding year.", b.toString()};
  }

  private static String[] scheduleTable(int i, Random r) {
    String[] days = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};
    StringBuilder b = new StringBuilder("Conference schedule\n\n| Day | Time | Room | Session | Speaker |\n| --- | --- | --- | --- | --- |\n");
    fill(b, target(r) - 12, k -> String.format(Locale.ROOT, "| %s | %02d:%s | %s | %s | %s %s |%n", days[(k / 4) % 5], 9 + k % 4 * 2,
        r.nextBoolean() ? "00" : "30", pick(ROOM, r), cap(pick(TOPIC, r)), pick(FIRST, r), pick(LAST, r)));
    b.append("\nAll sessions are recorded. Coffee is served in the main hall between sessions.");
    return new String[] {"Put the week's conference sessions in a table: day, time, room, session, speaker.", b.toString()};
  }

  private static String[] featureMatrix(int i, Random r) {
    String[] cells = {"✓", "✓", "✓", "✗", "Limited", "Add-on", "✓", "—"};
    StringBuilder b = new StringBuilder("Plan comparison:\n\n| Feature | Free | Team | Business | Enterprise |\n|---|:-:|:-:|:-:|:-:|\n");
    List<String> features = distinct(FEATURE, FEATURE.length, r);
    fill(b, target(r) - 20, k -> String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", features.get(k % features.size()),
        pick(cells, r), pick(cells, r), pick(cells, r), "✓"));
    b.append("\n✓ included, ✗ not available. Limited means up to five users; add-ons are billed monthly per workspace.");
    return new String[] {"Compare the Free, Team, Business and Enterprise plans feature by feature in a table.", b.toString()};
  }

  private static String[] gradesTable(int i, Random r) {
    List<String> subjects = distinct(SUBJECT, 4, r);
    StringBuilder b = new StringBuilder("| Student | " + String.join(" | ", subjects) + " | Average | Passed |\n|---|---|---|---|---|---|---|\n");
    fill(b, target(r) - 14, k -> {
      int[] g = {40 + r.nextInt(60), 40 + r.nextInt(60), 40 + r.nextInt(60), 40 + r.nextInt(60)};
      double avg = (g[0] + g[1] + g[2] + g[3]) / 4.0;
      return String.format(Locale.ROOT, "| %s %s | %d | %d | %d | %d | %.2f | %s |%n", pick(FIRST, r), pick(LAST, r), g[0], g[1], g[2],
          g[3], avg, avg >= 50 ? "yes" : "no");
    });
    b.append("\nThe pass mark is an average of 50. Resits are held in the second week of the next term.");
    return new String[] {"Tabulate the students' term grades with their average and whether they passed.", b.toString()};
  }

  // ---- lists ----

  private static String[] recipe(int i, Random r) {
    String dish = cap(pick(ADJ, r)) + " " + pick(INGREDIENT, r) + " " + (r.nextBoolean() ? "cake" : "stew");
    StringBuilder b = new StringBuilder("## " + dish + "\n\n### Ingredients\n\n");
    List<String> ingredients = distinct(INGREDIENT, 6 + r.nextInt(8), r);
    for (String in : ingredients) {
      b.append("- ").append(1 + r.nextInt(4)).append(' ').append(pick(UNIT, r)).append(' ').append(in).append('\n');
    }
    b.append("\n### Steps\n\n");
    String[] steps = {"Preheat the oven to %d degrees.", "Chop the %s finely and set it aside.", "Whisk the %s with the %s until smooth.",
        "Add the %s and stir for %d minutes.", "Season with %s to taste.", "Pour the mixture into a greased tin.",
        "Simmer gently for %d minutes, stirring now and then.", "Fold in the %s with a spatula.", "Bake for %d minutes until golden.",
        "Let it rest for %d minutes before serving.", "Serve warm with a little %s on top."};
    int[] n = {1};
    int[] last = {-1};
    fill(b, target(r) - 10, k -> {
      int which = (k + r.nextInt(3)) % steps.length;
      which = which == last[0] ? (which + 1) % steps.length : which; // a recipe does not give one step twice running
      last[0] = which;
      String step = steps[which];
      Object[] args = {pick(INGREDIENT, r), pick(INGREDIENT, r)};
      if (step.contains("%d")) {
        args = step.indexOf("%d") < step.indexOf("%s") || !step.contains("%s")
            ? new Object[] {5 + r.nextInt(40) * 5, pick(INGREDIENT, r)} : new Object[] {pick(INGREDIENT, r), 2 + r.nextInt(20)};
      }
      return n[0]++ + ". " + String.format(Locale.ROOT, step, args) + "\n";
    });
    b.append("\nKeeps for three days in an airtight container.");
    return new String[] {"Write a recipe for " + dish.toLowerCase(Locale.ROOT) + " with an ingredient list and numbered steps.", b.toString()};
  }

  private static String[] checklist(int i, Random r) {
    String[] openings = {"Check that the %s is %s.", "Make sure the %s is %s.", "Check that the %s is %s before leaving.",
        "Confirm the %s is %s.", "Make sure the %s is %s and noted in the log."};
    StringBuilder b = new StringBuilder("### Closing checklist\n\n");
    List<String> things = distinct(THING, THING.length, r);
    fill(b, target(r), k -> "- [ ] " + String.format(Locale.ROOT, openings[r.nextInt(openings.length)], things.get(k % things.size()),
        pick(STATE, r)) + "\n");
    return new String[] {"Give me a checklist for closing up the house for the winter.", b.toString()};
  }

  private static String[] instructions(int i, Random r) {
    String[] verbs = {"Open", "Click", "Select", "Choose", "Enter", "Type", "Press", "Scroll to"};
    String[] targets = {"Settings", "Accounts", "Security", "Advanced", "Network", "Save", "Apply", "Profile", "Notifications",
        "Privacy", "Storage", "Display", "Language", "Backups", "Devices"};
    StringBuilder b = new StringBuilder("To set up the new account on your computer:\n\n");
    int[] n = {1};
    fill(b, target(r), k -> "Step " + n[0]++ + ": " + pick(verbs, r) + " **" + pick(targets, r) + "**"
        + (r.nextBoolean() ? ", then " + pick(verbs, r).toLowerCase(Locale.ROOT) + " **" + pick(targets, r) + "**." : ".")
        + (r.nextInt(3) == 0 ? " If the " + pick(ADJ, r) + " warning appears, click **Continue**." : "") + "\n");
    return new String[] {"How do I set up the account? Give step-by-step instructions.", b.toString()};
  }

  private static String[] rankedList(int i, Random r) {
    StringBuilder b = new StringBuilder("Here are the best places to visit this year:\n\n");
    List<String> cities = distinct(CITY, CITY.length, r);
    int[] n = {1};
    fill(b, target(r), k -> n[0]++ + ". **" + cities.get(k % cities.size()) + "** — " + cap(pick(ADJ, r)) + " streets, a " + pick(ADJ, r)
        + " " + pick(NOUN, r) + " and the " + pick(NOUN, r) + " by the " + pick(PLACE, r) + ". Best visited in "
        + pick(new String[] {"spring", "summer", "autumn", "winter"}, r) + ".\n");
    return new String[] {"List the best cities to visit this year, with a line about each.", b.toString()};
  }

  private static String[] agenda(int i, Random r) {
    StringBuilder b = new StringBuilder("Agenda for the weekly sync\n\n");
    List<String> topics = distinct(TOPIC, TOPIC.length, r);
    fill(b, target(r), k -> "- Discuss the " + topics.get(k % topics.size()) + (r.nextBoolean() ? " (" + pick(FIRST, r) + ", " + (5 + r.nextInt(4) * 5) + " min)" : "")
        + "\n" + (r.nextInt(3) == 0 ? "  - Action: " + pick(FIRST, r) + " to follow up on the " + pick(TOPIC, r) + "\n" : ""));
    return new String[] {"Draft the agenda for this week's team sync.", b.toString()};
  }

  /** A table of contents: numbered headings, bare ("Chapter 7") as in old books, or with titles. */
  private static String[] contents(int i, Random r) {
    String unit = pick(new String[] {"Chapter", "Letter", "Lesson", "Part", "Section"}, r);
    boolean titled = r.nextBoolean();
    StringBuilder b = new StringBuilder("Contents\n\n");
    if (!titled) {
      for (int n = 1; n <= 4 + r.nextInt(4); n++) {
        b.append("Letter ").append(n).append(' ');
      }
    }
    int[] n = {1};
    fill(b, 90 + r.nextInt(titled ? 250 : 40), k -> titled
        ? unit + " " + n[0]++ + ". The " + cap(pick(ADJ, r)) + " " + cap(pick(NOUN, r)) + (r.nextBoolean() ? " and the " + cap(pick(NOUN, r)) : "")
            + " " + ".".repeat(3 + r.nextInt(12)) + " " + (3 + 12 * k + r.nextInt(10)) + "\n"
        : unit + " " + n[0]++ + (r.nextInt(4) == 0 ? "\n" : " "));
    return new String[] {"Print the table of contents.", b.toString().strip()};
  }

  // ---- code ----

  private static String[] javaBean(int i, Random r) {
    List<String> fields = distinct(FIELD, 4 + r.nextInt(6), r);
    String cls = cap(pick(new String[] {"customer", "order", "employee", "account", "invoice"}, r));
    StringBuilder b = new StringBuilder("public class " + cls + " {\n\n");
    for (String f : fields) {
      b.append("  private String ").append(f).append(";\n");
    }
    for (String f : fields) {
      b.append("\n  public String get").append(cap(f)).append("() {\n    return ").append(f).append(";\n  }\n");
      b.append("\n  public void set").append(cap(f)).append("(String ").append(f).append(") {\n    this.").append(f).append(" = ")
          .append(f).append(";\n  }\n");
    }
    b.append("}\n");
    return new String[] {"Write a Java class " + cls + " with private fields and getters and setters.", b.toString()};
  }

  private static String[] javaSwitch(int i, Random r) {
    List<String> cases = distinct(FEATURE, 8 + r.nextInt(10), r);
    StringBuilder b = new StringBuilder("static String describe(Feature feature) {\n  switch (feature) {\n");
    for (String c : cases) {
      String constant = c.toUpperCase(Locale.ROOT).replaceAll("[^A-Z]+", "_");
      b.append("    case ").append(constant).append(":\n      return \"").append(c).append(" is ").append(pick(STATE, r))
          .append("\";\n");
    }
    b.append("    default:\n      throw new IllegalArgumentException(\"unknown feature: \" + feature);\n  }\n}\n");
    return new String[] {"Write a Java method that describes each Feature enum value with a switch.", b.toString()};
  }

  private static String[] pythonConfig(int i, Random r) {
    StringBuilder b = new StringBuilder("import os\n\nconfig = {}\n");
    List<String> services = distinct(SERVICE, 3 + r.nextInt(5), r);
    for (String s : services) {
      String up = s.toUpperCase(Locale.ROOT);
      b.append(String.format(Locale.ROOT, "config[\"%s_host\"] = os.environ.get(\"%s_HOST\", \"%s.internal\")%n", s, up, s));
      b.append(String.format(Locale.ROOT, "config[\"%s_port\"] = int(os.environ.get(\"%s_PORT\", \"%d\"))%n", s, up, 1000 + r.nextInt(9000)));
      b.append(String.format(Locale.ROOT, "config[\"%s_timeout\"] = float(os.environ.get(\"%s_TIMEOUT\", \"%.1f\"))%n", s, up,
          0.5 + r.nextInt(20) / 2.0));
    }
    b.append("\n\ndef check(config):\n");
    for (String s : services) {
      b.append("    if not config[\"").append(s).append("_host\"]:\n        raise ValueError(\"missing ").append(s).append(" host\")\n");
    }
    return new String[] {"Write Python that reads each service's host, port and timeout from the environment.", b.toString()};
  }

  private static String[] sqlInserts(int i, Random r) {
    StringBuilder b = new StringBuilder("CREATE TABLE employees (\n  id INTEGER PRIMARY KEY,\n  first_name TEXT NOT NULL,\n"
        + "  last_name TEXT NOT NULL,\n  city TEXT,\n  salary INTEGER\n);\n\n");
    int[] id = {1 + r.nextInt(100)};
    fill(b, target(r) - 4, k -> String.format(Locale.ROOT,
        "INSERT INTO employees (id, first_name, last_name, city, salary) VALUES (%d, '%s', '%s', '%s', %d);%n", id[0]++,
        pick(FIRST, r), pick(LAST, r), pick(CITY, r), 30_000 + r.nextInt(90) * 1000));
    b.append("\nSELECT city, AVG(salary) FROM employees GROUP BY city;\n");
    return new String[] {"Create an employees table in SQL and insert some sample rows.", b.toString()};
  }

  private static String[] yamlServices(int i, Random r) {
    StringBuilder b = new StringBuilder("version: \"3.8\"\nservices:\n");
    List<String> services = distinct(SERVICE, SERVICE.length, r);
    fill(b, target(r), k -> {
      String s = services.get(k % services.size()) + (k >= services.size() ? "-" + (k / services.size() + 1) : "");
      return "  " + s + ":\n    image: example/" + s + ":" + (1 + r.nextInt(9)) + "." + r.nextInt(20) + "\n    restart: unless-stopped\n"
          + "    ports:\n      - \"" + (3000 + r.nextInt(6000)) + ":" + (80 + r.nextInt(9000)) + "\"\n    environment:\n      LOG_LEVEL: "
          + pick(new String[] {"info", "debug", "warn"}, r) + "\n      MEMORY_LIMIT: " + (128 << r.nextInt(5)) + "m\n";
    });
    return new String[] {"Write a docker-compose file for our services.", b.toString()};
  }

  private static String[] htmlList(int i, Random r) {
    StringBuilder b = new StringBuilder("<nav class=\"menu\">\n  <ul>\n");
    fill(b, target(r) - 6, k -> {
      String name = cap(pick(ADJ, r)) + " " + cap(pick(NOUN, r));
      String slug = name.toLowerCase(Locale.ROOT).replace(' ', '-');
      return "    <li class=\"menu-item\"><a href=\"/" + slug + "\" title=\"" + name + "\">" + name + "</a></li>\n";
    });
    b.append("  </ul>\n</nav>\n");
    return new String[] {"Write the HTML for a navigation menu listing the site's sections.", b.toString()};
  }

  // ---- JSON ----

  private static String[] jsonUsers(int i, Random r) {
    StringBuilder b = new StringBuilder("[\n");
    int[] id = {1 + r.nextInt(1000)};
    fill(b, target(r) - 2, k -> {
      String first = pick(FIRST, r);
      String last = pick(LAST, r);
      return String.format(Locale.ROOT, "  {\"id\": %d, \"name\": \"%s %s\", \"email\": \"%s.%s@example.com\", \"city\": \"%s\", \"active\": %s},%n",
          id[0]++, first, last, first.toLowerCase(Locale.ROOT), last.toLowerCase(Locale.ROOT), pick(CITY, r), r.nextBoolean());
    });
    b.append("  {\"id\": 0, \"name\": \"Admin\", \"email\": \"admin@example.com\", \"city\": null, \"active\": true}\n]\n");
    return new String[] {"Give me sample user records as a JSON array.", b.toString()};
  }

  private static String[] jsonProducts(int i, Random r) {
    StringBuilder b = new StringBuilder("{\n  \"products\": [\n");
    fill(b, target(r) - 4, k -> String.format(Locale.ROOT,
        "    {%n      \"sku\": \"%s-%04d\",%n      \"name\": \"%s %s\",%n      \"price\": %d.%02d,%n      \"tags\": [\"%s\", \"%s\"]%n    },%n",
        pick(CATEGORY, r).substring(0, 3).toUpperCase(Locale.ROOT), r.nextInt(10_000), cap(pick(ADJ, r)), pick(PRODUCT, r),
        3 + r.nextInt(300), r.nextInt(100), pick(CATEGORY, r).toLowerCase(Locale.ROOT), pick(ADJ, r)));
    b.append("    {\"sku\": \"END-0000\", \"name\": \"Gift card\", \"price\": 25.00, \"tags\": []}\n  ]\n}\n");
    return new String[] {"Return the product catalogue as JSON.", b.toString()};
  }

  private static String[] jsonEvents(int i, Random r) {
    StringBuilder b = new StringBuilder("[\n");
    int[] t = {r.nextInt(3600)};
    fill(b, target(r) - 2, k -> {
      t[0] += 1 + r.nextInt(90);
      return String.format(Locale.ROOT, "  {\"ts\": \"2024-03-%02dT%02d:%02d:%02dZ\", \"service\": \"%s\", \"level\": \"%s\", \"latency_ms\": %d},%n",
          1 + r.nextInt(28), t[0] / 3600 % 24, t[0] / 60 % 60, t[0] % 60, pick(SERVICE, r), pick(STATUS, r), 5 + r.nextInt(900));
    });
    b.append("  {\"ts\": null, \"service\": \"probe\", \"level\": \"ok\", \"latency_ms\": 0}\n]\n");
    return new String[] {"Show some example log events as a JSON array.", b.toString()};
  }

  // ---- CSV ----

  private static String[] csvSales(int i, Random r) {
    StringBuilder b = new StringBuilder("date,region,product,units,revenue\n");
    fill(b, target(r), k -> String.format(Locale.ROOT, "2024-%02d-%02d,%s,%s,%d,%d.%02d%n", 1 + r.nextInt(12), 1 + r.nextInt(28),
        pick(new String[] {"North", "South", "East", "West"}, r), pick(PRODUCT, r), 1 + r.nextInt(500), r.nextInt(20_000), r.nextInt(100)));
    return new String[] {"Export the sales data as CSV.", b.toString()};
  }

  private static String[] csvSensors(int i, Random r) {
    StringBuilder b = new StringBuilder("timestamp,sensor,temperature_c,humidity_pct,status\n");
    int[] minute = {r.nextInt(600)};
    fill(b, target(r), k -> {
      minute[0] += 5;
      return String.format(Locale.ROOT, "2024-06-01 %02d:%02d,sensor-%02d,%.1f,%d,%s%n", minute[0] / 60 % 24, minute[0] % 60, 1 + r.nextInt(12),
          15 + r.nextInt(150) / 10.0, 30 + r.nextInt(60), pick(STATUS, r));
    });
    return new String[] {"Give me the sensor readings as CSV.", b.toString()};
  }

  private static String[] csvContacts(int i, Random r) {
    StringBuilder b = new StringBuilder("first_name,last_name,company,city,phone\n");
    fill(b, target(r), k -> String.format(Locale.ROOT, "%s,%s,%s %s Ltd,%s,+44 20 %04d %04d%n", pick(FIRST, r), pick(LAST, r), cap(pick(ADJ, r)),
        cap(pick(NOUN, r)), pick(CITY, r), r.nextInt(10_000), r.nextInt(10_000)));
    return new String[] {"Write the contact list as CSV with name, company, city and phone.", b.toString()};
  }

  // ---- verse ----

  /** Anchors of Autolycus's songs in the bundled Shakespeare, and how many lines each runs. */
  private static final String[][] SONGS = {{"When daffodils begin to peer,", "12"}, {"But shall I go mourn for that, my dear?", "8"},
      {"Jog on, jog on, the foot-path way,", "4"}, {"Lawn as white as driven snow;", "12"}};

  private static String[] shakespeareSongs(int i, Random r) {
    String[] lines = Books.text("tiny_shakespeare").split("\n");
    StringBuilder b = new StringBuilder();
    int first = r.nextInt(SONGS.length);
    for (int s = 0; s < SONGS.length; s++) {
      String[] song = SONGS[(first + s) % SONGS.length];
      for (int l = 0; l < lines.length; l++) {
        if (lines[l].strip().equals(song[0])) {
          for (int k = 0; k < Integer.parseInt(song[1]); k++) {
            b.append(lines[l + k].strip()).append('\n');
          }
          b.append('\n');
          break;
        }
      }
      if (Books.words(b.toString()) >= MIN_WORDS + r.nextInt(60)) {
        break;
      }
    }
    if (b.isEmpty()) {
      throw new IllegalStateException("Autolycus's songs not found in the bundled Shakespeare");
    }
    // A refrain sung between and after the songs, as a singer would repeat it.
    String refrain = "With heigh! the doxy over the dale,\nWith heigh! the sweet birds, O, how they sing!\n";
    return new String[] {"Sing me the pedlar's songs from The Winter's Tale.", b.toString().strip() + "\n\n" + refrain};
  }

  private static String line(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> "The " + pick(ADJ, r) + " " + pick(NOUN, r) + " " + pick(VERB, r) + " by the " + pick(PLACE, r);
      case 1 -> "And " + pick(ADJ, r) + " is the " + pick(NOUN, r) + " that " + pick(VERB, r) + " at night";
      case 2 -> "O " + pick(NOUN, r) + ", " + pick(NOUN, r) + ", where the " + pick(NOUN, r) + " " + pick(VERB, r);
      default -> "I saw my " + pick(ADJ, r) + " " + pick(NOUN, r) + " upon the " + pick(ADJ, r) + " " + pick(PLACE, r);
    };
  }

  private static String[] refrainSong(int i, Random r) {
    String title = cap(pick(ADJ, r)) + " " + cap(pick(NOUN, r));
    String hook = pick(new String[] {"Sing hey, sing ho", "Row away, row away", "Fa la la, fa la la", "Oh, carry me home",
        "Heave away, my johnnies"}, r);
    String refrain = hook + ", for the " + pick(NOUN, r) + " and the " + pick(NOUN, r) + ",\n" + hook + ", " + pick(new String[] {
        "till the morning comes", "and the tide runs low", "for the year is young", "while the lanterns burn"}, r) + ";\n"
        + "And it's home, boys, home, to the " + pick(ADJ, r) + " " + pick(PLACE, r) + ",\n" + hook + ".\n";
    StringBuilder b = new StringBuilder(title + "\n\n");
    int verses = 0;
    int target = target(r);
    while (Books.words(b.toString()) + 70 < target || verses < 2) {
      for (int l = 0; l < 4; l++) {
        b.append(line(r)).append(l == 3 ? ".\n" : ",\n");
      }
      b.append('\n').append("Chorus:\n").append(refrain).append('\n');
      verses++;
    }
    if (r.nextBoolean()) {
      b.append(refrain); // the last chorus twice, as songs end
    }
    return new String[] {"Write a folk song called \"" + title + "\" with a chorus.", b.toString()};
  }

  private static String[] cumulativeSong(int i, Random r) {
    String[] ordinals = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"};
    String[] numbers = {"A", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"};
    List<String> gifts = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    for (int d = 0; d < ordinals.length; d++) {
      String gift = numbers[d] + " " + pick(ADJ, r) + " " + pick(NOUN, r) + (d == 0 ? "" : "s");
      gifts.add(0, gift);
      String verse = "On the " + ordinals[d] + " day of the fair my true love gave to me\n" + String.join(",\n", gifts) + ".\n\n";
      if (Books.words(b + verse) > 320 && d >= 3) {
        break;
      }
      b.append(verse);
    }
    return new String[] {"Write a cumulative counting song in the style of a folk carol.", b.toString()};
  }
}
