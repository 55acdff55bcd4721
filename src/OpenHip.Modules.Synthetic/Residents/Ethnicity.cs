namespace OpenHip.Modules.Synthetic.Residents;

internal enum Ethnicity
{
    Han,
    She,
    Uyghur,
    Tibetan,
    Foreign,
}
