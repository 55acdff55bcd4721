namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>An unwrapped SM4 data key and the id that every value encrypted under it carries.</summary>
internal sealed record DataKey(string Id, byte[] Material);
