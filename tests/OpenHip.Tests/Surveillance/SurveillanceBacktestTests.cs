using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Tests.Http;
using static OpenHip.Tests.Surveillance.SurveillanceHttp;

namespace OpenHip.Tests.Surveillance;

/// <summary>
/// <c>$surveillance-backtest</c> over the real FHIR API: cases are written over HTTP, the consumer counts them, and the
/// backtest scores EARS C1 against labelled outbreaks. The figures are worked by hand below.
/// </summary>
public sealed class SurveillanceBacktestTests(SurveillanceServerFixture server) : IClassFixture<SurveillanceServerFixture>
{
    // Infectious diarrhoea (A09) in county 350102, 2026-03-01..21 (steps 1..21): 3 cases on the 10th, 2 on the 11th,
    // 5 on the 16th. EARS C1 with minSigma 0.5 monitors steps 8..21 (14 days); bound = mean + 3.0902·max(sd, 0.5) of
    // the 7 days before:
    //   10th: baseline all 0 → 1.545, 3 cases → alarm;  11th: [0,0,0,0,0,0,3] → 0.429 + 3.0902·1.134 = 3.93, 2 → none;
    //   12th: [0,0,0,0,0,3,2] → 0.714 + 3.0902·1.254 = 4.59, 0 → none; 16th: [0,3,2,0,0,0,0] → 4.59, 5 → alarm;
    //   a day with 0 cases never alarms. Alarms: the 10th and the 16th.
    // Outbreaks: 03-09..03-12 in 350102 (steps 9-12: TP on the 10th, FN 9th, 11th, 12th; detected, delay 1);
    // 03-19..03-20 in the city 350100, which contains the county (FN, FN; missed); 03-14..03-15 in 440106 (another
    // county: ignored). The 16th is a false alarm; the other 7 monitored days are true negatives.
    // TP 1, FP 1, TN 7, FN 5; sensitivity 1/6, specificity 7/8, 1 of 2 outbreaks, mean delay 1,
    // false alarms per area-year 1 / (14 / 365) = 26.071429.
    private const string Series = "disease=infectious-diarrhoea&area=350102&start=2026-03-01&end=2026-03-21";
    private const string Detector = "&algorithm=earsC1&param=minSigma=0.5";
    private const string Outbreaks = "&outbreak=2026-03-09/2026-03-12&outbreak=2026-03-19/2026-03-20@350100&outbreak=2026-03-14/2026-03-15@440106";

    private HttpClient Client => server.Client;

    [Fact]
    public async Task Backtest_LabelledOutbreaks_ScoresAsWorkedByHand()
    {
        await WriteCasesAsync();

        JsonNode get = await BacktestAsync(Series + Detector + Outbreaks);
        AssertFigures(get);
        JsonNode[] outbreaks = [.. get["parameter"]!.AsArray().Where(p => p!["name"]!.GetValue<string>() == "outbreak").Select(p => p!)];
        Assert.Equal(2, outbreaks.Length);
        Assert.Equal("2026-03-09", Part(outbreaks[0], "start")!["valueDate"]!.GetValue<string>());
        Assert.True(Part(outbreaks[0], "detected")!["valueBoolean"]!.GetValue<bool>());
        Assert.Equal(1, Part(outbreaks[0], "delay")!["valueInteger"]!.GetValue<int>());
        Assert.Equal("2026-03-10", Part(outbreaks[0], "firstAlarm")!["valueDate"]!.GetValue<string>());
        Assert.False(Part(outbreaks[1], "detected")!["valueBoolean"]!.GetValue<bool>());
        Assert.Null(Part(outbreaks[1], "delay"));
        Assert.Equal("2026-03-08", get["parameter"]!.AsArray().First(p => p!["name"]!.GetValue<string>() == "monitoredStart")!["valueDate"]!.GetValue<string>());

        // The same request as a Parameters body: an outbreak as valuePeriod, one as parts with an area, one as start/end parts.
        string body = """
            {"resourceType":"Parameters","parameter":[
              {"name":"disease","valueCode":"infectious-diarrhoea"},{"name":"area","valueCode":"350102"},
              {"name":"start","valueDate":"2026-03-01"},{"name":"end","valueDate":"2026-03-21"},
              {"name":"algorithm","valueCode":"earsC1"},{"name":"param","valueString":"minSigma=0.5"},
              {"name":"outbreak","valuePeriod":{"start":"2026-03-09","end":"2026-03-12T23:59:59+08:00"}},
              {"name":"outbreak","part":[{"name":"period","valuePeriod":{"start":"2026-03-19","end":"2026-03-20"}},{"name":"area","valueCode":"350100"}]},
              {"name":"outbreak","part":[{"name":"start","valueDate":"2026-03-14"},{"name":"end","valueDate":"2026-03-15"},{"name":"area","valueCode":"440106"}]}
            ]}
            """;
        using HttpResponseMessage post = await Client.PostAsync("$surveillance-backtest", ServerFixture.Json(body));
        string posted = await post.Content.ReadAsStringAsync();
        Assert.True(post.IsSuccessStatusCode, posted);
        AssertFigures(JsonNode.Parse(posted)!);

        using HttpResponseMessage csv = await Client.GetAsync("$surveillance-backtest?" + Series + Detector + Outbreaks + "&_format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            "disease,area,granularity,algorithm,steps,areaYears,tp,fp,tn,fn,sensitivity,specificity,outbreaks,detected,probabilityOfDetection,meanDelay,falseAlarmsPerAreaYear\n"
            + "infectious-diarrhoea,350102,day,earsC1,14,0.038356,1,1,7,5,0.166667,0.875,2,1,0.5,1,26.071429\n",
            await csv.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(Series + Detector + "&outbreak=2026-03-09", "outbreak")]
    [InlineData(Series + Detector + "&outbreak=2026-03-12/2026-03-09", "ends before it starts")]
    [InlineData(Series + Detector + "&outbreak=2026-03-09/2026-03-12@44", "outbreak")]
    [InlineData(Series + Detector + "&outbreak=2026-13-01/2026-13-02", "outbreak")]
    [InlineData(Series + "&outbreak=2026-03-09/2026-03-12", "algorithm")]
    [InlineData(Series + "&algorithm=magic", "algorithm")]
    [InlineData(Series + "&algorithm=earsC1&param=lambda=2", "lambda")]
    [InlineData(Series + Detector + "&labels=1", "labels")]
    [InlineData("disease=smallpox&start=2026-03-01&end=2026-03-21" + Detector, "disease")]
    public async Task Backtest_BadInput_Is400WithOperationOutcome(string query, string named)
    {
        using HttpResponseMessage response = await Client.GetAsync("$surveillance-backtest?" + query);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("OperationOutcome", JsonNode.Parse(body)!["resourceType"]!.GetValue<string>());
        Assert.Contains(named, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backtest_OutbreakPartUnknown_Is400()
    {
        string body = """
            {"resourceType":"Parameters","parameter":[
              {"name":"disease","valueCode":"ili"},{"name":"start","valueDate":"2026-03-01"},{"name":"end","valueDate":"2026-03-21"},
              {"name":"algorithm","valueCode":"earsC1"},
              {"name":"outbreak","part":[{"name":"from","valueDate":"2026-03-14"}]}
            ]}
            """;
        using HttpResponseMessage response = await Client.PostAsync("$surveillance-backtest", ServerFixture.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("from", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static void AssertFigures(JsonNode result)
    {
        Assert.Equal(14, Number(result, "steps"));
        Assert.Equal(1, Number(result, "truePositives"));
        Assert.Equal(1, Number(result, "falsePositives"));
        Assert.Equal(7, Number(result, "trueNegatives"));
        Assert.Equal(5, Number(result, "falseNegatives"));
        Assert.Equal(0.166667, Number(result, "sensitivity"), 6);
        Assert.Equal(0.875, Number(result, "specificity"), 6);
        Assert.Equal(2, Number(result, "outbreaks"));
        Assert.Equal(1, Number(result, "outbreaksDetected"));
        Assert.Equal(0.5, Number(result, "probabilityOfDetection"), 6);
        Assert.Equal(1, Number(result, "meanDelay"), 6);
        Assert.Equal(26.071429, Number(result, "falseAlarmsPerAreaYear"), 6);
    }

    private static double Number(JsonNode result, string name)
    {
        JsonNode parameter = result["parameter"]!.AsArray().First(p => p!["name"]!.GetValue<string>() == name)!;
        return (parameter["valueInteger"] ?? parameter["valueDecimal"])!.GetValue<double>();
    }

    private async Task<JsonNode> BacktestAsync(string query)
    {
        using HttpResponseMessage response = await Client.GetAsync("$surveillance-backtest?" + query);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    private async Task WriteCasesAsync()
    {
        (string Day, int Cases)[] days = [("2026-03-10", 3), ("2026-03-11", 2), ("2026-03-16", 5)];
        int n = 0;
        foreach ((string day, int cases) in days)
        {
            for (int i = 0; i < cases; i++, n++)
            {
                string id = string.Create(CultureInfo.InvariantCulture, $"bt-{n}");
                await PutPatientAsync(Client, id, "female", "1990-01-01", "350102");
                await PostConditionAsync(Client, id, "A09", day);
            }
        }

        await WaitForTotalAsync(Client, Series, 10);
    }
}
