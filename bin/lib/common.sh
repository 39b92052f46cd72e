# Shared by the bin/ scripts: locate the repo, a JDK >= 22, and Maven.
# Sourced, never executed.

FMMAP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FMMAP_BUILD="$FMMAP_ROOT/build"

# Prints the major version of the JDK at $1 (reads its `release` file; no JVM start).
jdk_major() {
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  echo "${v:-0}"
}

# Sets FMMAP_JAVA_HOME to a JDK >= 22: JAVA_HOME if it is one, else the newest JDK found in the
# usual install folders. java.lang.foreign is final only since JDK 22.
find_jdk() {
  [ -n "${FMMAP_JAVA_HOME:-}" ] && return 0
  if [ -n "${JAVA_HOME:-}" ] && [ "$(jdk_major "$JAVA_HOME")" -ge 22 ]; then
    FMMAP_JAVA_HOME=$JAVA_HOME
    return 0
  fi
  local best="" best_major=0 home major
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -x "$home/bin/javac" ] || continue
    major=$(jdk_major "$home")
    if [ "$major" -gt "$best_major" ]; then best=$home; best_major=$major; fi
  done
  if [ "$best_major" -lt 22 ]; then
    echo "fmmap: no JDK 22 or newer found (JAVA_HOME=${JAVA_HOME:-unset}; newest found: ${best:-none}," \
         "version $best_major); install one (e.g. Temurin 25) or point JAVA_HOME at it." >&2
    return 1
  fi
  FMMAP_JAVA_HOME=$(readlink -f "$best")
}

# Sets FMMAP_RUNTIME_JAVA_HOME, the JDK bin/jython runs on: JAVA_HOME when it names one, as Java tools
# do (JDK 11 or newer: the core's floor; before JDK 22 the core goes through jnr-ffi), else the build's
# (find_jdk). FMMAP_RUNTIME_OPTS gets the JVM options fmmap needs there, by version.
find_runtime_jdk() {
  local major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(jdk_major "$JAVA_HOME")
    if [ "$major" -lt 11 ]; then
      echo "fmmap: JAVA_HOME=$JAVA_HOME is JDK $major; fmmap needs JDK 11 or newer" >&2
      return 1
    fi
    FMMAP_RUNTIME_JAVA_HOME=$JAVA_HOME
  else
    find_jdk || return 1
    FMMAP_RUNTIME_JAVA_HOME=$FMMAP_JAVA_HOME
    major=$(jdk_major "$FMMAP_JAVA_HOME")
  fi
  FMMAP_RUNTIME_OPTS=()
  # JDK 22+: java.lang.foreign's downcalls, and the Vector API kernels of the search.
  [ "$major" -ge 22 ] && FMMAP_RUNTIME_OPTS+=(--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector)
  # JDK 23+ warns about sun.misc.Unsafe's memory access, which Jython's bundled jffi uses.
  [ "$major" -ge 23 ] && FMMAP_RUNTIME_OPTS+=(--sun-misc-unsafe-memory-access=allow)
  return 0
}

# Prints the newest JDK 11-21 in the usual install folders (the jnr-ffi backend's JDKs; tests-java
# runs there too), or nothing.
find_old_jdk() {
  local best="" best_major=0 home major
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$home/bin/java" ] || continue
    major=$(jdk_major "$home")
    if [ "$major" -ge 11 ] && [ "$major" -le 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$(readlink -f "$home"); best_major=$major
    fi
  done
  echo "$best"
}

# Runs Maven on the JDK found by find_jdk, quietly and in batch mode; pass -f POM.
fmmap_mvn() {
  find_jdk || return 1
  JAVA_HOME=$FMMAP_JAVA_HOME MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
    mvn -B -q "$@"
}

# Builds java-impl/target/fmmap.jar when it is missing or older than any of its sources.
ensure_core_jar() {
  ensure_jars "$FMMAP_ROOT/java-impl/target/fmmap.jar" java-impl "the Java core (java-impl)"
}

# Builds jython/target/fmmap-jython-addon.jar (and the core it needs) the same way; its JUnit
# tests' class path needs junit-summary too.
ensure_jython_jar() {
  ensure_core_jar
  ensure_jars "$FMMAP_ROOT/jython/target/fmmap-jython-addon.jar" java-impl,junit-summary,jython \
    "fmmap's Jython classes (jython)"
}

# ensure_jars JAR MODULES WHAT: builds the Maven MODULES when JAR is missing or older than their
# sources or poms.
ensure_jars() {
  local jar=$1 modules=$2 what=$3 sources=() m
  for m in ${modules//,/ }; do sources+=("$FMMAP_ROOT/$m/src" "$FMMAP_ROOT/$m/pom.xml"); done
  if [ -f "$jar" ] && [ -z "$(find "${sources[@]}" "$FMMAP_ROOT/pom.xml" -newer "$jar" -print -quit)" ]; then
    return 0
  fi
  mkdir -p "$FMMAP_BUILD"
  (
    flock 9
    echo "fmmap: building $what..." >&2
    # Maven leaves a jar whose own sources did not change untouched: mark it as built now.
    fmmap_mvn -f "$FMMAP_ROOT/pom.xml" -DskipTests -pl "$modules" package >&2 && touch "$jar"
  ) 9>"$FMMAP_BUILD/.build.lock"
}

# resolve_runtime POM CACHE: writes the class path of the runtime that POM (runtimes/*/pom.xml)
# names to CACHE, resolving it from Maven Central once (and again when the POM changes).
resolve_runtime() {
  local pom=$1 cache=$2
  if [ -s "$cache" ] && [ ! "$pom" -nt "$cache" ]; then
    return 0
  fi
  mkdir -p "$(dirname "$cache")"
  (
    flock 9
    echo "fmmap: resolving $(basename "$(dirname "$pom")") from Maven Central (once)..." >&2
    fmmap_mvn -f "$pom" dependency:build-classpath -Dmdep.outputFile="$cache.tmp" >&2
    mv "$cache.tmp" "$cache"
  ) 9>"$FMMAP_BUILD/.build.lock"
}

# The JVM announces every incubator module on stderr at start ("WARNING: Using incubator modules:
# jdk.incubator.vector"), with no option to silence it: from here on, this shell's stderr drops
# exactly that line and passes the rest through (an exec'd JVM keeps the filter, and its exit code).
drop_incubator_warning() {
  exec 2> >(grep -v --line-buffered -x 'WARNING: Using incubator modules: jdk.incubator.vector' >&2)
}
