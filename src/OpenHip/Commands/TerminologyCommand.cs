using System.CommandLine;
using OpenHip.Hosting;
using OpenHip.Modules.Terminology.Loading;

namespace OpenHip.Commands;

/// <summary>`openhip terminology load`: loads code systems, value sets and maps from files into the configured store.</summary>
internal static class TerminologyCommand
{
    public static Command Create()
    {
        var store = new StoreFlags();
        var path = new Argument<string>("path") { Description = "A file, or a folder whose .tgz, .csv and .xml files are all loaded" };
        var format = new Option<string?>("--format") { Description = "npm | csv | claml | loinc | conceptmap-csv (default: from each file's name and header)" };
        format.AcceptOnlyFromAmong("npm", "csv", "claml", "loinc", "conceptmap-csv");
        var url = new Option<string?>("--url") { Description = "Canonical URL of the CodeSystem or ConceptMap a CSV, ClaML or LOINC file becomes" };
        var id = new Option<string?>("--id") { Description = "Resource id (default: the URL's last segment)" };
        var name = new Option<string?>("--name") { Description = "Computer-friendly name (default: from the id)" };
        var title = new Option<string?>("--title") { Description = "Human-friendly title" };
        var version = new Option<string?>("--version") { Description = "Version of the content (ClaML and LOINC: read from the file when absent)" };
        var load = new Command("load", "Load terminology files through the normal write path; bad input exits 2 and writes nothing")
        {
            path, format, url, id, name, title, version,
        };
        store.AddTo(load);
        load.SetAction(async (result, ct) =>
        {
            var settings = new TerminologyLoadSettings
            {
                Format = ParseFormat(result.GetValue(format)),
                Url = result.GetValue(url),
                Id = result.GetValue(id),
                Name = result.GetValue(name),
                Title = result.GetValue(title),
                Version = result.GetValue(version),
            };
            return await TerminologyLoad.RunAsync(result.GetValue(store.Config), store.Overrides(result), result.GetValue(path)!, settings, ct).ConfigureAwait(false);
        });
        return new Command("terminology", "Terminology content") { load };
    }

    private static TerminologyFormat? ParseFormat(string? format) => format switch
    {
        null => null,
        "npm" => TerminologyFormat.Npm,
        "csv" => TerminologyFormat.Csv,
        "claml" => TerminologyFormat.Claml,
        "loinc" => TerminologyFormat.Loinc,
        "conceptmap-csv" => TerminologyFormat.ConceptMapCsv,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a terminology format"),
    };
}
