namespace OpenHip.Modules.Synthetic.Residents;

/// <summary>A resident's name in characters and in its Latin (pinyin or native) form.</summary>
internal sealed record PersonName(
    NameStyle Style,
    string? Family,
    IReadOnlyList<string> Given,
    string? FamilyLatin,
    IReadOnlyList<string> GivenLatin)
{
    public string Text => Style switch
    {
        NameStyle.Han => Family + string.Concat(Given),
        NameStyle.Uyghur => Given[0] + "·" + Family,
        NameStyle.Tibetan => string.Concat(Given),
        _ => LatinText,
    };

    public string LatinText => Style switch
    {
        NameStyle.Uyghur => GivenLatin[0] + " " + FamilyLatin,
        NameStyle.Tibetan => string.Concat(GivenLatin),
        NameStyle.Latin => string.Join(' ', GivenLatin) + " " + FamilyLatin,
        _ => FamilyLatin + " " + string.Concat(GivenLatin),
    };
}
