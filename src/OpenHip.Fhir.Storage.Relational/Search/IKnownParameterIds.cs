namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>
/// search_param ids a store already knows for certain: an id once committed stays that (type, code)'s id for good, so a
/// statement may bind it as a value instead of looking it up in the database.
/// </summary>
public interface IKnownParameterIds
{
    /// <summary>The committed id of <paramref name="code"/> on <paramref name="type"/>; false when this store has not seen one.</summary>
    bool TryGet(string type, string code, out int pid);
}
