namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// One JSON object with a string <c>value</c> member (an Identifier, a ContactPoint, ...): where that string stands,
/// and where the object's string <c>system</c> stands, if it has one.
/// </summary>
internal readonly record struct ValueSite(JsonStringRange Value, JsonStringRange? System);
