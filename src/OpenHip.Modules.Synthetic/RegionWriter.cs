using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenHip.Modules.Synthetic.Clinical;
using OpenHip.Modules.Synthetic.Writing;

namespace OpenHip.Modules.Synthetic;

/// <summary>
/// Streams a generated region to a directory (layout in the module README): shared.json, one transaction Bundle per
/// resident under bundles/, NDJSON per resource type under ndjson/, and the ground-truth CSV files. Only one resident
/// is in memory at a time, and the same options always give the same bytes.
/// </summary>
public sealed class RegionWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly SyntheticRegionGenerator _generator;

    public RegionWriter(SyntheticRegionGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
    }

    /// <summary>Writes the region into <paramref name="directory"/>, which must be missing or empty.</summary>
    public RegionWriteSummary Write(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new InvalidOperationException($"Output directory '{directory}' is not empty; refusing to mix regions.");
        }

        Directory.CreateDirectory(directory);
        string bundles = Directory.CreateDirectory(Path.Combine(directory, "bundles")).FullName;
        using var json = new ResourceJson();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using var ndjson = new NdjsonSink(Path.Combine(directory, "ndjson"));

        WriteBundle(Path.Combine(directory, "shared.json"), _generator.CreateSharedBundle(), json, ndjson, counts);

        var caseCounts = _generator.Outbreaks.ToDictionary(o => o.Id, _ => 0, StringComparer.Ordinal);
        int residents = 0;
        using (StreamWriter identities = Csv(Path.Combine(directory, "identity_clusters.csv"), "patient_id,resident_key,organization_id,mrn_system,mrn,id_number_state,variations,relation"))
        using (StreamWriter cases = Csv(Path.Combine(directory, "outbreak_cases.csv"), "outbreak_id,condition_id,patient_id,resident_key,onset"))
        {
            foreach (ResidentHistory history in _generator.GenerateResidents())
            {
                cancellationToken.ThrowIfCancellationRequested();
                WriteBundle(Path.Combine(bundles, history.ResidentKey + ".json"), history.Bundle, json, ndjson, counts);
                foreach (IdentityLabel label in history.Identities)
                {
                    identities.Write(string.Join(',', label.PatientId, label.ResidentKey, label.OrganizationId, label.MrnSystem, label.Mrn, label.IdNumberState, string.Join(';', label.Variations), label.Relation ?? string.Empty));
                    identities.Write('\n');
                }

                foreach (OutbreakCaseLabel outbreakCase in history.OutbreakCases)
                {
                    caseCounts[outbreakCase.OutbreakId]++;
                    cases.Write(string.Join(',', outbreakCase.OutbreakId, outbreakCase.ConditionId, outbreakCase.PatientId, outbreakCase.ResidentKey, FhirElements.Date(outbreakCase.Onset)));
                    cases.Write('\n');
                }

                residents++;
            }
        }

        var outbreaks = _generator.Outbreaks.Select(o => new OutbreakLabel(o, caseCounts[o.Id])).ToList();
        using (StreamWriter writer = Csv(Path.Combine(directory, "outbreaks.csv"), "outbreak_id,disease_code,disease_display,division_code,start,end,cases"))
        {
            foreach (OutbreakLabel outbreak in outbreaks)
            {
                OutbreakDefinition d = outbreak.Definition;
                writer.Write(string.Join(',', d.Id, d.DiseaseCode, Quote(d.DiseaseDisplay), d.DivisionCode, FhirElements.Date(d.Start), FhirElements.Date(d.End), outbreak.Cases.ToString(CultureInfo.InvariantCulture)));
                writer.Write('\n');
            }
        }

        return new RegionWriteSummary(Path.GetFullPath(directory), residents, counts.Values.Sum(), [.. counts], outbreaks);
    }

    private static void WriteBundle(string path, Bundle bundle, ResourceJson json, NdjsonSink ndjson, SortedDictionary<string, long> counts)
    {
        // urn:uuid fullUrl -> Type/id, for the NDJSON copies.
        var references = new Dictionary<string, string>(bundle.Entry.Count, StringComparer.Ordinal);
        foreach (Bundle.EntryComponent entry in bundle.Entry)
        {
            if (entry.FullUrl?.StartsWith(BundleBuilder.UuidPrefix, StringComparison.Ordinal) == true)
            {
                references[entry.FullUrl] = entry.Resource!.TypeName + "/" + BundleBuilder.IdOf(entry.FullUrl);
            }
        }

        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024);
        using var writer = new Utf8JsonWriter(stream, ResourceJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("resourceType"u8, "Bundle"u8);
        writer.WriteString("type"u8, "transaction"u8);
        writer.WriteStartArray("entry"u8);
        foreach (Bundle.EntryComponent entry in bundle.Entry)
        {
            Resource resource = entry.Resource ?? throw new InvalidOperationException("Bundle entry without a resource.");
            Bundle.RequestComponent request = entry.Request ?? throw new InvalidOperationException("Bundle entry without a request.");
            ReadOnlySpan<byte> bytes = json.Serialize(resource);
            writer.WriteStartObject();
            if (entry.FullUrl is not null)
            {
                writer.WriteString("fullUrl"u8, entry.FullUrl);
            }

            writer.WritePropertyName("resource"u8);
            writer.WriteRawValue(bytes, skipInputValidation: true);
            writer.WriteStartObject("request"u8);
            writer.WriteString("method"u8, request.Method == Bundle.HTTPVerb.PUT ? "PUT"u8 : "POST"u8);
            writer.WriteString("url"u8, request.Url);
            writer.WriteEndObject();
            writer.WriteEndObject();

            string typeName = resource.TypeName;
            string? id = resource.Id is null && entry.FullUrl is not null ? BundleBuilder.IdOf(entry.FullUrl) : null;
            ndjson.Append(typeName, bytes, id, references);
            counts[typeName] = counts.GetValueOrDefault(typeName) + 1;
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static StreamWriter Csv(string path, string header)
    {
        var writer = new StreamWriter(path, append: false, Utf8NoBom, 64 * 1024);
        writer.Write(header);
        writer.Write('\n');
        return writer;
    }

    private static string Quote(string value) =>
        value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;

    /// <summary>One NDJSON file per resource type, opened on first use.</summary>
    private sealed class NdjsonSink : IDisposable
    {
        private readonly string _directory;
        private readonly Dictionary<string, FileStream> _files = new(StringComparer.Ordinal);
        private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
        private readonly Utf8JsonWriter _writer;

        public NdjsonSink(string directory)
        {
            _directory = Directory.CreateDirectory(directory).FullName;
            _writer = new Utf8JsonWriter(_buffer, ResourceJson.WriterOptions);
        }

        public void Append(string typeName, ReadOnlySpan<byte> json, string? id, IReadOnlyDictionary<string, string> references)
        {
            if (!_files.TryGetValue(typeName, out FileStream? file))
            {
                file = new FileStream(Path.Combine(_directory, typeName + ".ndjson"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 256 * 1024);
                _files.Add(typeName, file);
            }

            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            NdjsonRewriter.Rewrite(json, id, references, _writer);
            _writer.Flush();
            file.Write(_buffer.WrittenSpan);
            file.WriteByte((byte)'\n');
        }

        public void Dispose()
        {
            foreach (FileStream file in _files.Values)
            {
                file.Dispose();
            }

            _writer.Dispose();
        }
    }
}
