using System.CommandLine;

namespace OpenHip.Commands;

/// <summary>The `openhip` command line: one executable for the server and its tools.</summary>
internal static class OpenHipCli
{
    /// <summary>
    /// On SIGTERM or Ctrl+C the command's token is cancelled and the command gets this long to finish before the process
    /// is ended anyway (exit 143 or 130). The default, 2 s, is shorter than a `serve` that drains requests and moves the
    /// audit journal may need; this leaves the host's own shutdown timeout (30 s) to decide.
    /// </summary>
    public static InvocationConfiguration Invocation { get; } = new() { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) };

    public static RootCommand Build()
    {
        var root = new RootCommand("OpenHIP, the Open Health Information Platform");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(DbCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(SurveillanceCommand.Create());
        root.Subcommands.Add(TerminologyCommand.Create());
        root.Subcommands.Add(MpiCommand.Create());
        root.Subcommands.Add(AuthCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        return root;
    }
}
