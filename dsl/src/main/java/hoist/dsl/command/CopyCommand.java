package hoist.dsl.command;

import hoist.engine.copy.CopyOptions;
import hoist.engine.copy.CopyResult;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code copy SOURCE DESTINATION...}: any transport to one or more, each blob read once. */
@Command(name = "copy", aliases = "cp", mixinStandardHelpOptions = true,
        description = "Copy an image from any transport to one or more destinations, reading each blob once.")
public final class CopyCommand implements Callable<CopyResult> {

    @ParentCommand
    HoistCommand hoist;

    @Mixin
    CopyFlags flags;

    @Mixin
    SideFlags sides;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "TRANSPORT:DETAILS to read.")
    String source;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "DESTINATION", description = "TRANSPORT:DETAILS to write.")
    List<String> destinations;

    @Override
    public CopyResult call() {
        CopyOptions options = flags.toOptions();
        ImageReference from = Transports.parse(source);
        List<ImageReference> to = destinations.stream().map(Transports::parse).toList();
        TransportContext both = flags.context(hoist.session().context());
        return CopyRun.run(sides.source(both), sides.destination(both), from, to, options,
                flags.listener(hoist.session(), to), List.of(), flags.signing());
    }
}
