namespace OpenHip.Fhir.Search.Terminology;

public enum TokenSetKind
{
    /// <summary><c>:in</c> and <c>:not-in</c>: the codes of a value set's expansion.</summary>
    ValueSet,

    /// <summary><c>:below</c>: the code and everything it subsumes.</summary>
    Below,

    /// <summary><c>:above</c>: the code and everything that subsumes it.</summary>
    Above,
}
