using Microsoft.Extensions.Options;
using OpenHip.Fhir;
using OpenHip.Fhir.Api;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Import;
using OpenHip.Fhir.Patching;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Reindexing;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Transactions;
using OpenHip.Modules.Mpi;
using OpenHip.Modules.Security;
using OpenHip.Modules.Security.Features.Authorization;
using OpenHip.Modules.Security.Features.Crypto;
using OpenHip.Modules.Security.Features.FieldEncryption;
using OpenHip.Modules.Surveillance;
using OpenHip.Modules.Terminology;
using OpenHip.Modules.Terminology.Content;
using Serilog;

namespace OpenHip.Hosting;

/// <summary>The composition root: the one place that knows every module and provider.</summary>
public static class OpenHipServer
{
    public static Task<int> RunAsync(string? configFile, IReadOnlyDictionary<string, string?> overrides, CancellationToken ct) =>
        WithAppAsync(configFile, overrides, async app =>
        {
            // Taken before running: RunAsync disposes the services once the host stops, whatever stopped it.
            Readiness readiness = app.Services.GetRequiredService<Readiness>();

            // The command line takes SIGTERM and Ctrl+C before the host's console lifetime sees them and cancels ct:
            // the host stops gracefully (requests in flight, the audit journal's last move) when ct is cancelled.
            await HostingAbstractionsHostExtensions.RunAsync(app, ct).ConfigureAwait(false);
            return readiness.Failure is null ? 0 : 3;
        }, ct);

    /// <summary>Builds the server and runs <paramref name="body"/> with it; invalid settings are reported by name (exit code 2).</summary>
    private static async Task<int> WithAppAsync(
        string? configFile, IReadOnlyDictionary<string, string?> overrides, Func<WebApplication, Task<int>> body, CancellationToken ct)
    {
        (WebApplication? app, int invalid) = await TryBuildAsync(configFile, overrides, ct).ConfigureAwait(false);
        if (app is null)
        {
            return invalid;
        }

        await using (app.ConfigureAwait(false))
        {
            return await body(app).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Builds a configured, not yet started server (tests start it on a loopback port of their own). Every options
    /// section is bound and validated here, before anything starts, so a bad setting stops start-up with its name.
    /// </summary>
    /// <remarks>Throws <see cref="OptionsValidationException"/> listing every invalid setting.</remarks>
    public static Task<WebApplication> BuildAsync(string? configFile, IReadOnlyDictionary<string, string?> overrides, CancellationToken ct) =>
        BuildAsync(configFile, overrides, configureServices: null, ct);

    /// <param name="configureServices">
    /// Runs after every module is registered: tests add what a real deployment gets elsewhere (a test authentication
    /// handler, the access policies without the authorization server); the CLI never passes any.
    /// </param>
    public static async Task<WebApplication> BuildAsync(
        string? configFile,
        IReadOnlyDictionary<string, string?> overrides,
        Action<IServiceCollection, IConfiguration>? configureServices,
        CancellationToken ct)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // The default appsettings sources watch the content root (the working directory, often the data
            // directory) with inotify: every WAL write then woke a watcher thread. OpenHIP reads openhip.json once.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        AddSources(builder.Configuration, configFile, overrides);
        bool authEnabled = AuthSettings.ResolveEnabled(builder.Configuration);

        ServerOptions server = Bind<ServerOptions>(builder.Configuration, ServerOptions.SectionName, new ServerOptionsValidator());
        StorageOptions storage = Bind<StorageOptions>(builder.Configuration, StorageOptions.SectionName, new StorageOptionsValidator());
        if (string.IsNullOrEmpty(builder.Configuration["Api:BaseUrl"]))
        {
            builder.Configuration["Api:BaseUrl"] = server.UrlList.First().TrimEnd('/') + "/fhir";
        }

        FhirApiOptions api = Bind<FhirApiOptions>(builder.Configuration, FhirApiOptions.SectionName, null);
        builder.Configuration["Fhir:BaseUrl"] = api.BaseUrl;
        Modules.Security.Persistence.AuthStoreOptions authStore = AuthSettings.Apply(builder.Configuration, server, storage, api.BaseUrl);
        FhirEngineOptions engine = Bind<FhirEngineOptions>(builder.Configuration, FhirEngineOptions.SectionName, new FhirEngineOptionsValidator());
        MpiOptions mpi = Bind<MpiOptions>(builder.Configuration, MpiOptions.SectionName, null);
        TerminologyOptions terminology = Bind<TerminologyOptions>(builder.Configuration, TerminologyOptions.SectionName, null);
        SurveillanceOptions surveillance = Bind<SurveillanceOptions>(builder.Configuration, SurveillanceOptions.SectionName, null);
        builder.WebHost.UseUrls([.. server.UrlList]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = api.MaxRequestBodyBytes;

            // Room above Api:MaxUrlLength so that the FHIR edge answers an over-long URL with an OperationOutcome;
            // only a target past this (twice the limit) meets Kestrel's bare 414.
            kestrel.Limits.MaxRequestLineSize = Math.Max(kestrel.Limits.MaxRequestLineSize, (2 * api.MaxUrlLength) + 1024);
        });
        builder.Host.UseSerilog((context, logger) =>
        {
            // Defaults first, so a "Serilog" section in the configuration can override levels.
            logger.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                // OpenIddict logs whole requests at Information (form fields of the sign-in page among them).
                .MinimumLevel.Override("OpenIddict", Serilog.Events.LogEventLevel.Warning)
                // EF logs a refused duplicate (a replayed assertion jti, expected) as an error with SQL; real failures
                // propagate as exceptions and are logged where they are handled.
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Fatal)
                .MinimumLevel.Override("System.Net.Http.HttpClient", Serilog.Events.LogEventLevel.Warning)
                .ReadFrom.Configuration(context.Configuration);
            if (server.LogFormat == LogFormat.Json)
            {
                logger.WriteTo.Console(new Serilog.Formatting.Compact.CompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture, outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}");
            }
        });

        Directory.CreateDirectory(server.DataDirectory);
        IFhirStore store = await Stores.OpenAsync(storage, server, ct).ConfigureAwait(false);

        builder.Services.AddSingleton(Options.Create(server));
        builder.Services.AddSingleton(Options.Create(api));
        builder.Services.AddSingleton(Options.Create(engine));
        builder.Services.AddSingleton(Options.Create(storage));
        // With a key-encryption key configured the engine sees the protected store (values encrypted at rest).
        builder.Services.AddSingleton<IFhirStore>(FieldEncryption.Wrap(store, builder.Services, builder.Configuration));

        // The audit log lives beside the FHIR tables of the store itself, under any wrapper the engine sees.
        if (store is IAuditLog auditLog)
        {
            builder.Services.AddSingleton(auditLog);
        }

        builder.Services.AddSingleton<IAuditSink, LoggingAuditSink>();
        builder.Services.AddSingleton<IPatchHandler, FhirPatchHandler>();
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddCors();
        builder.Services.AddFhirEngine();
        builder.Services.AddCryptography();
        builder.Services.AddMpiModule(mpi);
        builder.Services.AddSurveillanceModule(surveillance);
        builder.Services.AddTerminologyModule(terminology);
        if (server.Demo)
        {
            builder.Services.AddHostedService<DemoLoader>();
        }

        if (authEnabled)
        {
            // Auth on: the authorization server, bearer-token validation and the access policies compiled from tokens.
            builder.Services.AddSingleton(AuthDatabases.For(authStore));
            builder.Services.AddSecurityModule(builder.Configuration);
        }

        configureServices?.Invoke(builder.Services, builder.Configuration);
        WebApplication app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(() => Stores.DisposeAsync(store).AsTask().GetAwaiter().GetResult());

        // Before the first request: stored SearchParameters decide how writes are indexed and what searches mean.
        try
        {
            // SM2/SM3/SM4 answer their known vectors before anything relies on them (GB/T 39786 self-tests).
            app.Services.StartCryptography();
            await app.Services.StartFieldEncryptionAsync(ct).ConfigureAwait(false);

            await app.Services.GetRequiredService<ChangeFeed>().MarkStartAsync(ct).ConfigureAwait(false);
            await app.Services.GetRequiredService<StoredSearchParameterLoader>().LoadAsync(ct).ConfigureAwait(false);

            // Stored code systems and value sets answer :in/:below searches and binding checks from the first request.
            await app.Services.StartTerminologyModuleAsync(ct).ConfigureAwait(false);

            // A schema upgrade that added index tables asks for a full reindex; it runs beside normal traffic.
            await app.Services.GetRequiredService<ReindexRunner>().StartIfRequiredAsync(ct).ConfigureAwait(false);

            // Code systems that bindings, $expand and :in need are there before the first request (first start only).
            await app.Services.GetRequiredService<ShippedContentSeeder>().SeedAsync(ct).ConfigureAwait(false);

            if (authEnabled)
            {
                // The auth schema and the signing keys exist before OpenIddict or a token check needs them.
                await app.Services.StartSmartAuthorizationAsync(ct).ConfigureAwait(false);
            }
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await Stores.DisposeAsync(store).ConfigureAwait(false);
            throw;
        }

        // Errors first, so routing failures (ambiguous or malformed routes) become OperationOutcomes too.
        app.UseFhirErrors();

        // Browser SMART apps (fhirclient's bundle) call discovery, the token endpoint and the FHIR API from their own
        // origin. Credentials are bearer tokens in a header, never cookies, so any origin may call; the sign-in form
        // is a top-level navigation, not a cross-origin request. Preflights are answered here, before auth.
        app.UseCors(cors => cors.AllowAnyOrigin().AllowAnyMethod().AllowAnyHeader()
            .WithExposedHeaders("Location", "Content-Location", "ETag", "Last-Modified", "WWW-Authenticate", "Retry-After"));
        app.UseRouting();
        if (authEnabled)
        {
            // Token endpoint limits, OpenIddict's endpoints and bearer validation run before the FHIR access check.
            app.UseSmartAuthorization();
        }

        app.UseFhirAccess();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (Readiness readiness) => readiness.IsReady ? Results.Text("ready") : Results.Text("loading", statusCode: 503));
        app.MapFhirApi(api.BasePath);
        if (authEnabled)
        {
            app.MapSmartAuthorization();
        }

        if (!server.Demo)
        {
            app.Services.GetRequiredService<Readiness>().MarkReady();
        }

        return app;
    }

    /// <summary>
    /// <c>openhip db migrate</c>: applies the configured store's missing schema migrations and exits (0), or names
    /// the invalid setting (2).
    /// </summary>
    public static async Task<int> MigrateAsync(string? configFile, IReadOnlyDictionary<string, string?> overrides, CancellationToken ct)
    {
        (ConfigurationManager? _, ServerOptions? server, StorageOptions? storage, int invalid) = await BindStoreAsync(configFile, overrides).ConfigureAwait(false);
        if (server is null || storage is null)
        {
            return invalid;
        }

        Console.WriteLine(await Stores.MigrateAsync(storage, server, ct).ConfigureAwait(false));
        return 0;
    }

    /// <summary>The store settings alone, for the commands that open the store without composing a server.</summary>
    private static async Task<(ConfigurationManager Configuration, ServerOptions? Server, StorageOptions? Storage, int ExitCode)> BindStoreAsync(
        string? configFile, IReadOnlyDictionary<string, string?> overrides)
    {
        var configuration = new ConfigurationManager();
        AddSources(configuration, configFile, overrides);
        try
        {
            return (configuration,
                Bind<ServerOptions>(configuration, ServerOptions.SectionName, null),
                Bind<StorageOptions>(configuration, StorageOptions.SectionName, new StorageOptionsValidator()),
                0);
        }
        catch (OptionsValidationException ex)
        {
            return (configuration, null, null, await ReportInvalidAsync(ex).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// <c>openhip keys rotate</c>: a new field-encryption data key for new writes, while servers keep running; 0 rotated,
    /// 2 for invalid settings or a missing or wrong key-encryption key.
    /// </summary>
    public static async Task<int> RotateKeysAsync(string? configFile, IReadOnlyDictionary<string, string?> overrides, CancellationToken ct)
    {
        (ConfigurationManager configuration, ServerOptions? server, StorageOptions? storage, int invalid) = await BindStoreAsync(configFile, overrides).ConfigureAwait(false);
        if (server is null || storage is null)
        {
            return invalid;
        }

        IFhirStore store = await Stores.OpenAsync(storage, server, ct).ConfigureAwait(false);
        try
        {
            return await FieldEncryption.RotateAsync(store, configuration, Console.Out, Console.Error, ct).ConfigureAwait(false);
        }
        finally
        {
            await Stores.DisposeAsync(store).ConfigureAwait(false);
        }
    }

    /// <summary>`openhip import`: 0 when every file is in, 2 for bad input or settings (nothing of the failing batch written).</summary>
    public static Task<int> ImportAsync(string? configFile, IReadOnlyDictionary<string, string?> overrides, string folder, int batchSize, CancellationToken ct) =>
        ImportAsync(configFile, overrides, folder, batchSize, strict: false, ct);

    public static async Task<int> ImportAsync(string? configFile, IReadOnlyDictionary<string, string?> overrides, string folder, int batchSize, bool strict, CancellationToken ct)
    {
        if (batchSize is < 1 or > 100_000)
        {
            await Console.Error.WriteLineAsync("openhip import: --batch-size must be between 1 and 100000").ConfigureAwait(false);
            return 2;
        }

        return await WithAppAsync(configFile, overrides, async app =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            long reported = 0;
            try
            {
                ImportSummary summary = await app.Services.GetRequiredService<BulkImporter>().ImportAsync(folder, batchSize, strict, (file, done, written) =>
                {
                    if (written - reported >= 50_000)
                    {
                        reported = written;
                        Console.WriteLine($"{written} resources ({written / Math.Max(clock.Elapsed.TotalSeconds, 0.001):F0}/s); {Path.GetFileName(file)}: {done} items");
                    }
                }, ct).ConfigureAwait(false);
                double seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                Console.WriteLine(string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"imported {summary.Written} resources from {summary.Files} files in {seconds:F1} s ({summary.Written / seconds:F0}/s); {summary.Skipped} already present"));
                return 0;
            }
            catch (FhirException ex)
            {
                await Console.Error.WriteLineAsync($"openhip import: {string.Join("; ", ex.Issues.Select(i => i.Diagnostics))}").ConfigureAwait(false);
                return 2;
            }
            finally
            {
                // Never started, so ApplicationStopped (which closes the store otherwise) does not come.
                await Stores.DisposeAsync(app.Services.GetRequiredService<IFhirStore>()).ConfigureAwait(false);
            }
        }, ct).ConfigureAwait(false);
    }

    /// <summary>The built server, or null and exit code 2 after naming every invalid setting.</summary>
    private static async Task<(WebApplication? App, int ExitCode)> TryBuildAsync(string? configFile, IReadOnlyDictionary<string, string?> overrides, CancellationToken ct)
    {
        try
        {
            return (await BuildAsync(configFile, overrides, ct).ConfigureAwait(false), 0);
        }
        catch (OptionsValidationException ex)
        {
            return (null, await ReportInvalidAsync(ex).ConfigureAwait(false));
        }
        catch (CryptoStartupException ex)
        {
            await Console.Error.WriteLineAsync($"openhip: {ex.Message}").ConfigureAwait(false);
            return (null, 2);
        }
    }
    /// <summary>
    /// <c>openhip mpi rebuild</c>: the server composed as for <c>serve</c> but not started (no HTTP, no background
    /// consumers), then the MPI re-links the population. 0 when done, 1 when a node is linking, 2 for invalid settings.
    /// </summary>
    public static Task<int> RebuildMpiAsync(string? configFile, IReadOnlyDictionary<string, string?> overrides, CancellationToken ct) =>
        WithAppAsync(configFile, overrides, async app =>
        {
            try
            {
                return await MpiMaintenance.RebuildAsync(app.Services, Console.Out, ct).ConfigureAwait(false);
            }
            finally
            {
                // Never started, so ApplicationStopped (which closes the store otherwise) does not come.
                await Stores.DisposeAsync(app.Services.GetRequiredService<IFhirStore>()).ConfigureAwait(false);
            }
        }, ct);

    /// <summary>Every invalid setting by name on stderr; exit code 2.</summary>
    internal static async Task<int> ReportInvalidAsync(OptionsValidationException ex)
    {
        await Console.Error.WriteLineAsync($"openhip: invalid configuration:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", ex.Failures)}").ConfigureAwait(false);
        return 2;
    }

    /// <summary>openhip.json, then OPENHIP__ environment variables, then command-line flags: later sources win.</summary>
    internal static void AddSources(ConfigurationManager configuration, string? configFile, IReadOnlyDictionary<string, string?> overrides)
    {
        configuration.Sources.Clear();
        configuration
            .AddJsonFile(Path.GetFullPath(configFile ?? "openhip.json"), optional: configFile is null, reloadOnChange: false)
            .AddEnvironmentVariables("OPENHIP__")
            .AddInMemoryCollection(overrides);
    }

    internal static T Bind<T>(ConfigurationManager configuration, string section, IValidateOptions<T>? validator)
        where T : class, new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        List<System.ComponentModel.DataAnnotations.ValidationResult> results = [];
        List<string> failures = [];
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{section}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
        }

        if (validator?.Validate(null, options) is { Failed: true } failed)
        {
            failures.AddRange(failed.Failures);
        }

        return failures.Count == 0 ? options : throw new OptionsValidationException(section, typeof(T), failures);
    }
}
