namespace OpenHip.Modules.Synthetic.Region;

/// <summary>
/// The places the synthetic region uses. Codes: GB/T 2260 administrative division codes as published by the Ministry
/// of Civil Affairs (县级以上行政区划代码, 2023 list); historic codes from the same ministry's change notices.
/// Populations: resident population in thousands, rounded, approximately as in the 2020 (7th) census county
/// bulletins; they only weight where residents live. Postal codes: the city's main post code (China Post).
/// </summary>
internal static class Geography
{
    public const string ProvinceCode = "330000";
    public const string ProvinceName = "浙江省";

    public static readonly IReadOnlyList<Division> Counties =
    [
        Hangzhou("330102", "上城区", true, 1323),
        Hangzhou("330105", "拱墅区", true, 1183),
        Hangzhou("330106", "西湖区", true, 1145),
        Hangzhou("330109", "萧山区", true, 2011),
        Hangzhou("330110", "余杭区", true, 1226),
        Hangzhou("330127", "淳安县", false, 329),
        Hangzhou("330182", "建德市", false, 443),
        Wenzhou("330302", "鹿城区", true, 1107),
        Wenzhou("330304", "瓯海区", true, 963),
        Wenzhou("330324", "永嘉县", false, 869),
        Wenzhou("330381", "瑞安市", false, 1520),
        Lishui("331102", "莲都区", true, 525),
        Lishui("331121", "青田县", false, 383),
        Lishui("331127", "景宁畲族自治县", false, 111),
    ];

    /// <summary>Codes abolished in the 2021 Hangzhou reorganisation; IDs issued before keep them.</summary>
    public static readonly IReadOnlyList<(string HistoricCode, string Name, string SuccessorCode)> HistoricCodes =
    [
        ("330103", "下城区", "330105"),
        ("330104", "江干区", "330102"),
    ];

    /// <summary>County codes outside the province, where migrants' ID numbers were issued.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> MigrantOrigins =
    [
        ("340102", "安徽省合肥市瑶海区"),
        ("340103", "安徽省合肥市庐阳区"),
        ("360102", "江西省南昌市东湖区"),
        ("321302", "江苏省宿迁市宿城区"),
        ("321202", "江苏省泰州市海陵区"),
    ];

    public const string XinjiangOrigin = "650102"; // 新疆维吾尔自治区乌鲁木齐市天山区
    public const string TibetOrigin = "540102"; // 西藏自治区拉萨市城关区
    public const string JingningCode = "331127"; // 景宁畲族自治县, the She autonomous county

    /// <summary>Every code an ID number in the data may start with.</summary>
    public static IEnumerable<string> AllIdDivisionCodes() =>
        Counties.Select(c => c.Code)
            .Concat(HistoricCodes.Select(h => h.HistoricCode))
            .Concat(MigrantOrigins.Select(m => m.Code))
            .Append(XinjiangOrigin)
            .Append(TibetOrigin);

    public static Division County(string code) => Counties.First(c => c.Code == code);

    private static Division Hangzhou(string code, string name, bool urban, int population) =>
        new(code, name, "330100", "杭州市", ProvinceName, urban, population, "310000");

    private static Division Wenzhou(string code, string name, bool urban, int population) =>
        new(code, name, "330300", "温州市", ProvinceName, urban, population, "325000");

    private static Division Lishui(string code, string name, bool urban, int population) =>
        new(code, name, "331100", "丽水市", ProvinceName, urban, population, "323000");
}
