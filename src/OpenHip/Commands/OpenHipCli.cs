using System.CommandLine;

namespace OpenHip.Commands;

/// <summary>The `openhip` command line: one executable for the server and its tools.</summary>
internal static class OpenHipCli
{
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
