using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace OpenHip.Modules.Synthetic.Writing;

/// <summary>
/// Serialises single resources with Firely into a reused buffer. Non-ASCII text is written as UTF-8, not \u escapes,
/// so the files stay readable; the output goes to files, never into HTML.
/// </summary>
internal sealed class ResourceJson : IDisposable
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private readonly BaseFhirJsonSerializer _serializer = new(ModelInfo.ModelInspector);
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _writer;

    public ResourceJson()
    {
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>The resource's JSON; valid until the next call.</summary>
    public ReadOnlySpan<byte> Serialize(Resource resource)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _serializer.Serialize(resource, _writer);
        _writer.Flush();
        return _buffer.WrittenSpan;
    }
}
