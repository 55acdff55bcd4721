namespace OpenHip.Fhir.Search.Indexing.Json;

/// <summary>
/// The JSON walk met a shape it does not mirror (a primitive's children, a number where text was expected, ...): the
/// parameter is then extracted from the POCO for this resource instead, so no index row is ever lost.
/// </summary>
internal sealed class JsonShapeNotCompiledException : Exception
{
    public JsonShapeNotCompiledException()
    {
    }

    public JsonShapeNotCompiledException(string message)
        : base(message)
    {
    }

    public JsonShapeNotCompiledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
