namespace OpenHip.Fhir.Search.Indexing;

/// <summary>What one step of a plain index path does to the nodes it is given.</summary>
internal enum PathStepKind
{
    /// <summary>The child element(s) called <see cref="PathStep.Name"/>, every item of a list (or only item <see cref="PathStep.Index"/>).</summary>
    Child,

    /// <summary>Keeps a node whose type is <see cref="PathStep.Name"/> or derives from it (<c>as T</c>, <c>as(T)</c>, <c>ofType(T)</c>).</summary>
    OfType,

    /// <summary>Keeps a node whose primitive child <see cref="PathStep.Name"/> equals <see cref="PathStep.Value"/> (<c>where(system='phone')</c>).</summary>
    WhereEquals,

    /// <summary>Keeps a Reference whose target type is <see cref="PathStep.Name"/> (<c>where(resolve() is Patient)</c>), read from the reference itself.</summary>
    WhereResolveIs,

    /// <summary>Goes back to the resource (<c>%resource</c>), for composite components that read outside their element.</summary>
    Resource,
}
