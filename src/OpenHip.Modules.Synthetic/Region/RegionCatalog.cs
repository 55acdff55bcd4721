using System.Globalization;

namespace OpenHip.Modules.Synthetic.Region;

/// <summary>
/// The fixed set of institutions of the region. Names are synthetic but follow the usual naming patterns
/// (市中心医院, 县人民医院, 街道社区卫生服务中心, 镇卫生院); ids are readable and stable so that resident bundles can
/// reference them as <c>Organization/&lt;id&gt;</c>.
/// </summary>
internal sealed class RegionCatalog
{
    private static readonly string[] StreetNames = ["湖滨", "城南", "城北", "江南", "东新", "西溪"];
    private static readonly string[] TownNames = ["新安", "白沙", "石门", "大溪", "梅溪", "安仁"];

    private readonly Dictionary<string, Institution> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Institution>> _primaryCare = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Institution> _countyHospital = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Institution> _cityHospital = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Institution> _pharmacy = new(StringComparer.Ordinal);

    public RegionCatalog()
    {
        var all = new List<Institution>();
        Division provincialSeat = Geography.County("330106");
        Cdc = Add(all, "org-330000-cdc", "浙江省疾病预防控制中心", InstitutionKind.Cdc, provincialSeat, "P", 2);
        ProvincialHospital = Add(all, "org-330000-hosp", "浙江省立中心医院", InstitutionKind.TertiaryHospital, provincialSeat, "H", 8);

        foreach (IGrouping<string, Division> city in Geography.Counties.GroupBy(c => c.CityCode))
        {
            Division seat = city.First();
            string id = string.Create(CultureInfo.InvariantCulture, $"org-{city.Key}-hosp");
            _cityHospital[city.Key] = Add(all, id, seat.CityName + "中心医院", InstitutionKind.TertiaryHospital, seat, "T", 8);
        }

        int countyIndex = 0;
        foreach (Division county in Geography.Counties)
        {
            string code = county.Code;
            string hospitalName = county.IsUrbanDistrict ? county.Name + "人民医院" : county.Name + "第一人民医院";
            _countyHospital[code] = Add(all, $"org-{code}-hosp", hospitalName, InstitutionKind.SecondaryHospital, county, "S", 5);

            var primary = new List<Institution>();
            for (int i = 0; i < 2; i++)
            {
                string suffix = (i + 1).ToString(CultureInfo.InvariantCulture);
                primary.Add(county.IsUrbanDistrict
                    ? Add(all, $"org-{code}-chc{suffix}", county.Name + StreetNames[(countyIndex + i) % StreetNames.Length] + "街道社区卫生服务中心", InstitutionKind.CommunityHealthCentre, county, "C", 3)
                    : Add(all, $"org-{code}-thc{suffix}", county.Name + TownNames[(countyIndex + i) % TownNames.Length] + "镇卫生院", InstitutionKind.TownshipHealthCentre, county, "W", 2));
            }

            _primaryCare[code] = primary;
            _pharmacy[code] = Add(all, $"org-{code}-pharm", county.Name + "康宁大药房", InstitutionKind.Pharmacy, county, "R", 1);
            countyIndex++;
        }

        Institutions = all;
    }

    public IReadOnlyList<Institution> Institutions { get; }

    public Institution Cdc { get; }

    public Institution ProvincialHospital { get; }

    public Institution Get(string id) => _byId[id];

    public IReadOnlyList<Institution> PrimaryCare(string countyCode) => _primaryCare[countyCode];

    public Institution CountyHospital(string countyCode) => _countyHospital[countyCode];

    public Institution CityHospital(string cityCode) => _cityHospital[cityCode];

    public Institution Pharmacy(string countyCode) => _pharmacy[countyCode];

    private Institution Add(List<Institution> all, string id, string name, InstitutionKind kind, Division division, string mrnPrefix, int staff)
    {
        string suffix = id["org-".Length..];
        var practitioners = new string[staff];
        for (int i = 0; i < staff; i++)
        {
            practitioners[i] = string.Create(CultureInfo.InvariantCulture, $"prac-{suffix}-{i + 1}");
        }

        var institution = new Institution(id, name, kind, division, "loc-" + suffix, practitioners, mrnPrefix);
        all.Add(institution);
        _byId.Add(id, institution);
        return institution;
    }
}
