package hoist.engine.transport;

/** A kind of image location, named by the prefix of {@code transport:details}. */
public interface Transport {

    /** The prefix, without the colon: {@code oci}, {@code dir}, {@code docker-archive}. */
    String name();

    /**
     * Parses the part after {@code name:}. Syntax errors are {@link hoist.engine.HoistException#usage usage}
     * errors that quote the reference.
     */
    ImageReference parse(String details);
}
