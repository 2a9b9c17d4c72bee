/**
 * The start-up training: a run of the common commands whose loaded classes the launcher turns
 * into a class-data archive (JDK 17-24) or an ahead-of-time cache (JDK 25 and newer), so that a
 * later start maps those classes instead of loading, verifying and linking them again.
 *
 * @see <a href="https://openjdk.org/jeps/483">JEP 483: Ahead-of-Time Class Loading and Linking</a>
 * @see <a href="https://openjdk.org/jeps/514">JEP 514: Ahead-of-Time Command-Line Ergonomics</a>
 */
package hoist.shell.training;
