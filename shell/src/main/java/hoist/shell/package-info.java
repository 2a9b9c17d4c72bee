/** main(): the command line, error reporting and exit statuses, and progress rendering. */
package hoist.shell;
