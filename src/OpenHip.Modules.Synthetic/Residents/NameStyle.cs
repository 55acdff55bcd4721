namespace OpenHip.Modules.Synthetic.Residents;

internal enum NameStyle
{
    /// <summary>Family name then 1-2 character given name, e.g. 张晓明.</summary>
    Han,

    /// <summary>Own name · father's name, e.g. 买买提·艾力.</summary>
    Uyghur,

    /// <summary>Two names and no family name, e.g. 扎西次仁.</summary>
    Tibetan,

    /// <summary>A foreigner's Latin-script name.</summary>
    Latin,
}
