using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Surveillance.Features.CaseDetection;
using OpenHip.Testing;
using static OpenHip.Tests.Surveillance.SurveillanceHttp;

namespace OpenHip.Tests.Surveillance;

/// <summary>
/// Case detection and the count series through the real FHIR API: records are written over HTTP, the outbox consumer
/// detects cases, and <c>$surveillance-series</c> reads the stored counts. Each test uses its own counties and
/// diseases, so the tests of the class share one server.
/// </summary>
public sealed class CaseDetectionHttpTests(SurveillanceServerFixture server) : IClassFixture<SurveillanceServerFixture>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Ingest_DengueRecords_CountsByAreaAgeSexWithDedup()
    {
        await PutPatientAsync(Client, "dg-child", "male", "2024-03-01", "440106");
        await PutPatientAsync(Client, "dg-adult", "female", "1980-06-15", "440106001");
        await PutPatientAsync(Client, "dg-elder", "female", "1950-01-01", "440104");
        await PutPatientAsync(Client, "dg-other-province", "male", "1990-01-01", "450102");

        await PostConditionAsync(Client, "dg-child", "A90", "2026-05-01");
        await PostConditionAsync(Client, "dg-adult", "A91", "2026-05-01T10:00:00+08:00");
        await PostConditionAsync(Client, "dg-elder", "A97.0", "2026-05-03");
        await PostConditionAsync(Client, "dg-other-province", "A90", "2026-05-02");
        await PostConditionAsync(Client, "dg-child", "I10", "2026-05-02"); // not dengue
        await PostConditionAsync(Client, "dg-elder", "A90", "2026-05-04", verification: "refuted"); // no evidence
        await PostConditionAsync(Client, "dg-child", "A90", "2026-05-20"); // same episode (30 days)
        await PostLabAsync(Client, "dg-adult", "75377-2", "2026-07-15T09:00:00+08:00", positive: true); // new episode
        await PostLabAsync(Client, "dg-elder", "75377-2", "2026-07-15", positive: false); // negative lab

        const string Period = "disease=dengue&start=2026-04-01&end=2026-08-31";
        await WaitForTotalAsync(Client, Period + "&area=440000", 4);
        JsonNode county = await SeriesAsync(Client, Period + "&area=440106");
        Assert.Equal(3, Total(county));
        Assert.Equal(2, Points(county)["2026-05-01"]);
        Assert.Equal(1, Points(county)["2026-07-15"]);
        Assert.Equal(4, Total(await SeriesAsync(Client, Period + "&area=440100")));
        Assert.Equal(5, Total(await SeriesAsync(Client, Period)));
        Assert.Equal(1, Total(await SeriesAsync(Client, Period + "&area=450000")));
        Assert.Equal(1, Total(await SeriesAsync(Client, Period + "&area=440000&ageGroup=0-4")));
        Assert.Equal(1, Total(await SeriesAsync(Client, Period + "&area=440000&ageGroup=60%2B")));
        Assert.Equal(3, Total(await SeriesAsync(Client, Period + "&area=440000&sex=female")));

        JsonNode weekly = await SeriesAsync(Client, Period + "&area=440000&granularity=isoweek");
        Assert.Equal(3, Points(weekly)["2026-W18"]);
        Assert.Equal(1, Points(weekly)["2026-W29"]);
    }

    [Fact]
    public async Task Redelivery_SameEventsTwice_CountsOnce()
    {
        await PutPatientAsync(Client, "rd-1", "female", "2000-01-01", "330102");
        await PostConditionAsync(Client, "rd-1", "B05", "2026-03-01");
        await PostConditionAsync(Client, "rd-1", "B05.9", "2026-04-15"); // 45 days later: measles episodes are 90 days
        const string Query = "disease=measles&area=330102&start=2026-01-01&end=2026-12-31";
        await WaitForTotalAsync(Client, Query, 1);

        // Hand every event of the store to the detector again, as a crash before the position moved would.
        var store = server.Services.GetRequiredService<IFhirStore>();
        var detector = server.Services.GetRequiredService<CaseDetector>();
        IReadOnlyList<OutboxEvent> all = await store.ReadOutboxAsync(OutboxPosition.Start, 100_000, CancellationToken.None);
        DetectionSummary again = await detector.ProcessAsync(all, CancellationToken.None);

        Assert.Equal(0, again.Cases);
        Assert.Equal(1, Total(await SeriesAsync(Client, Query)));
        using HttpResponseMessage cases = await Client.GetAsync("EpisodeOfCare?patient=Patient/rd-1&_summary=count");
        Assert.Equal(1, JsonNode.Parse(await cases.Content.ReadAsStringAsync())!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Detect_AnOutboxPage_ReadsTheVersionsOfItsRecordsInOneCall()
    {
        var store = server.Services.GetRequiredService<IFhirStore>();
        OutboxPosition before = await store.ReadOutboxHeadAsync(CancellationToken.None);
        await PutPatientAsync(Client, "vr-1", "female", "1970-01-01", "310101");
        for (int i = 0; i < 5; i++)
        {
            await PostConditionAsync(Client, "vr-1", "I10", "2026-02-0" + (i + 1)); // watched, not notifiable: nothing is written
        }

        IReadOnlyList<OutboxEvent> page = await store.ReadOutboxAsync(before, 100, CancellationToken.None);
        (IFhirStore counted, CallCountingStore counter) = CallCountingStore.Wrap(store);
        CaseDetector detector = ActivatorUtilities.CreateInstance<CaseDetector>(server.Services, counted);

        DetectionSummary summary = await detector.ProcessAsync(page, CancellationToken.None);

        Assert.Equal(0, summary.Cases);
        Assert.Equal(5, page.Count(e => e.Type == "Condition"));
        Assert.Equal((0, 1, 5), (counter.SingleReads, counter.BatchReads, counter.BatchKeys));
    }

    [Fact]
    public async Task Streams_SyndromeThenLabThenDiagnosis_OneCaseCountedOnceInEachStreamOnItsDay()
    {
        await PutPatientAsync(Client, "st-1", "male", "1990-01-01", "420102");
        await PutPatientAsync(Client, "st-2", "female", "1990-01-01", "420102");
        await PostEncounterAsync(Client, "st-1", "流感样症状 fever and cough", "2026-01-05");
        await PostLabAsync(Client, "st-1", "80382-5", "2026-01-07", positive: true);
        await PostLabAsync(Client, "st-1", "80382-5", "2026-01-08", positive: true); // second positive: nothing new
        await PostEncounterAsync(Client, "st-1", "influenza-like illness, review", "2026-01-09"); // second visit: nothing new
        await PostConditionAsync(Client, "st-1", "J10.1", "2026-01-10");
        await PostLabAsync(Client, "st-2", "80382-5", "2026-01-08", positive: true); // a lab-confirmed case only
        const string Query = "disease=ili&area=420102&start=2026-01-01&end=2026-01-31";
        await WaitForTotalAsync(Client, Query + "&stream=diagnosis", 1); // the last record of the first resident
        await WaitForTotalAsync(Client, Query + "&stream=laboratory", 2); // and of the second

        JsonNode cases = await SeriesAsync(Client, Query);
        Assert.Equal((2, 1, 1), (Total(cases), Points(cases)["2026-01-05"], Points(cases)["2026-01-08"]));
        JsonNode syndromic = await SeriesAsync(Client, Query + "&stream=syndromic");
        Assert.Equal((1, 1), (Total(syndromic), Points(syndromic)["2026-01-05"]));
        Assert.Equal("syndromic", (string?)syndromic["parameter"]!.AsArray().First(p => (string?)p!["name"] == "stream")!["valueCode"]);
        JsonNode laboratory = await SeriesAsync(Client, Query + "&stream=laboratory");
        Assert.Equal((2, 1, 1), (Total(laboratory), Points(laboratory)["2026-01-07"], Points(laboratory)["2026-01-08"]));
        Assert.Equal(1, Points(await SeriesAsync(Client, Query + "&stream=diagnosis"))["2026-01-10"]);

        // The case records each kind of evidence with the record that first gave it.
        JsonNode bundle = JsonNode.Parse(await Client.GetStringAsync("EpisodeOfCare?patient=Patient/st-1"))!;
        JsonNode episode = Assert.Single(bundle["entry"]!.AsArray())!["resource"]!;
        JsonArray parts = episode["extension"]![0]!["extension"]!.AsArray();
        Assert.Equal(["syndromic", "laboratory", "diagnosis"], parts.Where(p => (string?)p!["url"] == "basis").Select(p => (string?)p!["valueCode"]));
        Assert.Equal(3, parts.Count(p => (string?)p!["url"] == "evidence"));

        // Handed the whole outbox again, the detector adds nothing to any stream.
        var store = server.Services.GetRequiredService<IFhirStore>();
        var detector = server.Services.GetRequiredService<CaseDetector>();
        IReadOnlyList<OutboxEvent> all = await store.ReadOutboxAsync(OutboxPosition.Start, 100_000, CancellationToken.None);
        Assert.Equal(0, (await detector.ProcessAsync(all, CancellationToken.None)).Cases);
        int[] totals = await Task.WhenAll(new[] { "case", "syndromic", "laboratory", "diagnosis" }.Select(async s => Total(await SeriesAsync(Client, Query + "&stream=" + s))));
        Assert.Equal([2, 1, 2, 1], totals);
    }

    [Fact]
    public async Task Series_WithAlgorithm_ReturnsBoundsAndAlarms()
    {
        await PutPatientAsync(Client, "al-1", "male", "1970-01-01", "320102");
        await PostConditionAsync(Client, "al-1", "A00", "2026-02-20");
        const string Query = "disease=cholera&area=320102&start=2026-02-01&end=2026-02-28";
        await WaitForTotalAsync(Client, Query, 1);

        JsonNode series = await SeriesAsync(Client, Query + "&algorithm=earsC1&param=minSigma=0.1");
        JsonNode spike = series["parameter"]!.AsArray().First(p => p!["name"]!.GetValue<string>() == "point" && Part(p!, "label")!["valueString"]!.GetValue<string>() == "2026-02-20")!;
        Assert.True(Part(spike, "alarm")!["valueBoolean"]!.GetValue<bool>());
        Assert.NotNull(Part(spike, "upperBound"));
        JsonNode first = series["parameter"]!.AsArray().First(p => p!["name"]!.GetValue<string>() == "point")!;
        Assert.Null(Part(first, "alarm")); // no baseline yet
    }

    [Fact]
    public async Task Series_CsvByFormatAndAccept_IsCsv()
    {
        await PutPatientAsync(Client, "csv-1", "female", "2019-01-01", "310101");
        await PostConditionAsync(Client, "csv-1", "B08.4", "2026-04-21");
        const string Query = "disease=hfmd&area=310101&start=2026-04-20&end=2026-04-22";
        await WaitForTotalAsync(Client, Query, 1);

        using HttpResponseMessage byFormat = await Client.GetAsync("$surveillance-series?" + Query + "&_format=csv");
        Assert.Equal("text/csv", byFormat.Content.Headers.ContentType!.MediaType);
        string[] lines = (await byFormat.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("t,period,label,observed,upperbound,alarm", lines[0]);
        Assert.Equal("2,2026-04-21,2026-04-21,1,NA,NA", lines[2]);
        Assert.Equal(4, lines.Length);

        using var request = new HttpRequestMessage(HttpMethod.Get, "$surveillance-series?" + Query);
        request.Headers.Accept.ParseAdd("text/csv");
        using HttpResponseMessage byAccept = await Client.SendAsync(request);
        Assert.Equal("text/csv", byAccept.Content.Headers.ContentType!.MediaType);
        Assert.Equal(string.Join('\n', lines) + "\n", await byAccept.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("disease=smallpox&start=2026-01-01&end=2026-01-31", "disease")]
    [InlineData("disease=ili&start=2026-01-01", "end")]
    [InlineData("disease=ili&start=2026-02-01&end=2026-01-01", "end")]
    [InlineData("disease=ili&start=2026-01-01&end=2026-01-31&area=44", "area")]
    [InlineData("disease=ili&start=2026-01-01&end=2026-01-31&ageGroup=5-9", "ageGroup")]
    [InlineData("disease=ili&start=2026-01-01&end=2026-01-31&granularity=month", "granularity")]
    [InlineData("disease=ili&start=2026-01-01&end=2026-01-31&stream=lab", "stream")]
    [InlineData("disease=ili&start=2026-01-01&end=2026-01-31&algorithm=magic", "algorithm")]
    [InlineData("disease=ili&start=2026-01-01&end=2026-01-31&algorithm=earsC1&param=lambda=2", "algorithm")]
    [InlineData("disease=ili&start=2026-01-01&end=2026-01-31&county=440106", "county")]
    public async Task Series_BadInput_Is400WithOperationOutcome(string query, string named)
    {
        using HttpResponseMessage response = await Client.GetAsync("$surveillance-series?" + query);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonNode outcome = JsonNode.Parse(body)!;
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.Contains(named, body, StringComparison.Ordinal);
    }
}
