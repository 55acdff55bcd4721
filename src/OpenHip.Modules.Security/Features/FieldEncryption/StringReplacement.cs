namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>New content, already JSON-escaped and without quotes, for the string token at <see cref="Range"/>.</summary>
internal readonly record struct StringReplacement(JsonStringRange Range, byte[] Content);
