namespace OpenHip.Fhir.Storage;

/// <summary>
/// The bulk path of a store (<c>openhip import</c>): many creates in one transaction, by the fastest means the store
/// has (PostgreSQL: binary COPY), with the importer's progress written in the same transaction so an interrupted
/// import resumes exactly where its last batch committed.
/// </summary>
public interface IBulkLoader
{
    /// <summary>
    /// Writes the creates whose resource does not exist yet (existing ones are skipped, so a repeated or resumed import
    /// adds no duplicates) and sets the durable state <paramref name="progressKey"/> to <paramref name="progressValue"/>.
    /// Returns how many were written.
    /// </summary>
    Task<int> LoadAsync(IReadOnlyList<ResourceWrite> creates, string progressKey, string progressValue, CancellationToken cancellationToken);

    /// <summary>
    /// Before an import's first batch, with the size of its files: a store may prepare for a load that large (PostgreSQL
    /// builds its secondary indexes after the load when the load outweighs what it holds). Whatever it changes must
    /// survive the process dying at any moment: the store's next open, or <see cref="EndLoadAsync"/>, puts it right.
    /// </summary>
    Task BeginLoadAsync(long bytes, CancellationToken cancellationToken);

    /// <summary>After an import's last batch, or its failure: undoes what <see cref="BeginLoadAsync"/> changed.</summary>
    Task EndLoadAsync(CancellationToken cancellationToken);
}
