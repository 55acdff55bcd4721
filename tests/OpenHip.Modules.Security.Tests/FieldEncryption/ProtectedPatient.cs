using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace OpenHip.Modules.Security.Tests.FieldEncryption;

/// <summary>A Patient with a resident ID, a passport and a phone number unique to one test, so finding them at rest means a leak.</summary>
internal sealed record ProtectedPatient(string ResidentId, string Passport, string Phone, string Family)
{
    public const string ResidentSystem = "http://openhip.org/sid/cn-resident-id";
    public const string PassportSystem = "http://openhip.org/sid/passport/CHN";
    public const string V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

    public static ProtectedPatient NewUnique() => new(
        "1101051949" + RandomNumberGenerator.GetInt32(1_000_000, 10_000_000) + "X",
        "E" + RandomNumberGenerator.GetInt32(10_000_000, 100_000_000),
        "139" + RandomNumberGenerator.GetInt32(10_000_000, 100_000_000),
        "Testfamily" + RandomNumberGenerator.GetInt32(1_000_000, 10_000_000));

    public string[] Secrets => [ResidentId, Passport, Phone];

    public JsonObject ToJson() => new()
    {
        ["resourceType"] = "Patient",
        ["identifier"] = new JsonArray(
            new JsonObject
            {
                ["type"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = V2_0203, ["code"] = "NI" }) },
                ["system"] = ResidentSystem,
                ["value"] = ResidentId,
            },
            new JsonObject
            {
                ["type"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = V2_0203, ["code"] = "PPN" }) },
                ["system"] = PassportSystem,
                ["value"] = Passport,
            },
            new JsonObject { ["system"] = "http://openhip.org/sid/mrn/org-1", ["value"] = "MRN-" + Family }),
        ["name"] = new JsonArray(new JsonObject { ["family"] = Family, ["given"] = new JsonArray("Wei") }),
        ["telecom"] = new JsonArray(new JsonObject { ["system"] = "phone", ["value"] = Phone }),
        ["gender"] = "male",
        ["birthDate"] = "1949-12-31",
    };
}
