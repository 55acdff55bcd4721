using System.Globalization;
using System.Text;

namespace OpenHip.LoadDriver;

/// <summary>
/// Small but realistic Patients (~700 bytes: identifier, name, telecom, address), deterministic per number so runs
/// are comparable. Hand-written JSON keeps the driver's CPU use negligible next to the server's.
/// </summary>
internal static class SyntheticPatient
{
    private static readonly string[] Families = ["Wang", "Okafor", "Müller", "García", "Nguyen", "Smith", "Kowalski", "Haddad"];
    private static readonly string[] Givens = ["Fang", "Chidi", "Anna", "Lucía", "Minh", "John", "Zofia", "Karim"];

    /// <param name="nationalIds">Also a resident ID and a passport number, the identifiers field encryption protects by default.</param>
    public static string Json(long n, string? id = null, bool nationalIds = false)
    {
        string family = Families[n % Families.Length];
        string given = Givens[(n / Families.Length) % Givens.Length];
        string gender = n % 2 == 0 ? "female" : "male";
        var birth = new DateOnly(1930, 1, 1).AddDays((int)(n * 7919 % 32000));
        string idMember = id is null ? string.Empty : $"\"id\":\"{id}\",";
        string nationalIdentifiers = nationalIds
            ? string.Create(CultureInfo.InvariantCulture, $$"""{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"NI"}]},"system":"http://openhip.org/sid/cn-resident-id","value":"110105{{birth:yyyyMMdd}}{{n % 1000:D3}}X"},{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"PPN"}]},"system":"http://openhip.org/sid/passport/CHN","value":"E{{Scattered(n):D8}}"},""")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {"resourceType":"Patient",{{idMember}}"identifier":[{{nationalIdentifiers}}{"system":"http://openhip.org/sid/bench-mrn","value":"MRN{{n:D9}}"},{"system":"http://hl7.org/fhir/sid/us-ssn","value":"999-{{n % 100:D2}}-{{n % 10000:D4}}"}],"active":true,"name":[{"use":"official","family":"{{family}}{{n % 1000}}","given":["{{given}}{{n % 997}}"],"prefix":["Mx."]}],"telecom":[{"system":"phone","value":"555-{{n % 10000:D4}}","use":"home"},{"system":"email","value":"patient{{n}}@example.org"}],"gender":"{{gender}}","birthDate":"{{birth:yyyy-MM-dd}}","address":[{"use":"home","line":["{{n % 9000 + 1}} Harbour Road","Flat {{n % 40 + 1}}"],"city":"Springfield","district":"District {{n % 12}}","postalCode":"{{n % 90000 + 10000}}","country":"ZZ"}],"communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"en"}]},"preferred":true}]}
            """);
    }

    // Passports reach a hospital in no order: numbered by arrival they would all land at the end of the identifier index,
    // which makes the plain server's inserts cheaper than any real one's. Multiplying by an odd number not divisible by 5
    // permutes 0..10^8-1, so the numbers stay unique.
    private static long Scattered(long n) => n * 2_654_435_761L % 100_000_000;

    public static byte[] Utf8(long n, string? id = null, bool nationalIds = false) => Encoding.UTF8.GetBytes(Json(n, id, nationalIds));
}
