using System.CommandLine;
using OpenHip.Fhir.Import;
using OpenHip.Hosting;

namespace OpenHip.Commands;

/// <summary>`openhip import FOLDER`: bulk-loads NDJSON and Bundle files into the configured store; run it again to resume.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var store = new StoreFlags();
        var folder = new Argument<string>("folder") { Description = "Folder of *.ndjson (one resource per line) and *.json (Bundle or resource) files" };
        var batch = new Option<int>("--batch-size") { Description = "Resources per transaction", DefaultValueFactory = _ => BulkImporter.DefaultBatchSize };
        var strict = new Option<bool>("--strict") { Description = "Parse and validate every resource with Firely, as the REST API does (slower); by default NDJSON gets structural checks only" };
        var import = new Command("import", "Bulk-load a folder of NDJSON and Bundle files; resumes where an interrupted run stopped") { folder, batch, strict };
        store.AddTo(import);
        import.SetAction(async (result, ct) => await OpenHipServer.ImportAsync(
            result.GetValue(store.Config), store.Overrides(result), result.GetValue(folder)!, result.GetValue(batch), result.GetValue(strict), ct).ConfigureAwait(false));
        return import;
    }
}
