using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>The protected store of a provider with a bulk path (<c>openhip import</c>): imported values are protected the same way.</summary>
internal sealed class ProtectedBulkFhirStore(IFhirStore inner, IBulkLoader loader, FieldEncryptionRuntime runtime)
    : ProtectedFhirStore(inner, runtime), IBulkLoader
{
    public async Task<int> LoadAsync(IReadOnlyList<ResourceWrite> creates, string progressKey, string progressValue, CancellationToken cancellationToken)
    {
        DataKey key = await Protection.Keys.CurrentForWriteAsync(cancellationToken).ConfigureAwait(false);
        return await loader.LoadAsync([.. creates.Select(w => Protection.Protect(w, key))], progressKey, progressValue, cancellationToken).ConfigureAwait(false);
    }

    public Task BeginLoadAsync(long bytes, CancellationToken cancellationToken) => loader.BeginLoadAsync(bytes, cancellationToken);

    public Task EndLoadAsync(CancellationToken cancellationToken) => loader.EndLoadAsync(cancellationToken);
}
