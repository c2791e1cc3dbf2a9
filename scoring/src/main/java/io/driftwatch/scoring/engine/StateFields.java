package io.driftwatch.scoring.engine;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Access to the private fields of the scorers' state classes for {@link BinaryStateCodec}, which lives
 * here so that the scorers stay plain (their fields are also what the JSON form shows). Every field the
 * codec reads or writes is registered by name, and a test compares the registry with the classes' fields:
 * a field added to a scorer without a place in the binary format fails the build instead of being lost.
 */
final class StateFields {

  private static final Map<Class<?>, List<String>> KNOWN = new LinkedHashMap<>();

  private StateFields() {}

  static VarHandle field(Class<?> owner, String name, Class<?> type) {
    register(owner, name);
    try {
      return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the binary state codec no longer matches " + owner.getName() + ": " + e, e);
    }
  }

  static Class<?> nested(String name) {
    try {
      return Class.forName(name, false, StateFields.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the binary state codec no longer matches the scorers: " + e, e);
    }
  }

  /** A constructor of a class the codec may not name (package-private), as a handle returning Object. */
  static MethodHandle constructor(Class<?> owner, Class<?>... parameters) {
    try {
      return MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
          .findConstructor(owner, MethodType.methodType(void.class, parameters))
          .asType(MethodType.methodType(Object.class, parameters));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the binary state codec no longer matches " + owner.getName() + ": " + e, e);
    }
  }

  /** Records a field that the codec handles by direct access (same package, or a record component). */
  static synchronized void register(Class<?> owner, String... names) {
    List<String> known = KNOWN.computeIfAbsent(owner, k -> new ArrayList<>());
    for (String name : names) {
      if (!known.contains(name)) {
        known.add(name);
      }
    }
  }

  /** Every class the codec walks, with the fields it handles. */
  static synchronized Map<Class<?>, List<String>> known() {
    BinaryStateCodec.touch();
    Map<Class<?>, List<String>> copy = new LinkedHashMap<>();
    KNOWN.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }
}
