using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenHip.Modules.Mpi.Features.MatchPatient;
using Xunit;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Tests.Features.MatchPatient;

/// <summary>The match index is loaded when the server starts, not by the first $match after it.</summary>
public sealed class PatientIndexPreloaderTests
{
    [Fact]
    public async Task Start_StoreWithPatients_IndexLoadedWithoutARequest()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync();
        PatientIndex index = mpi.Services.GetRequiredService<PatientIndex>();
        string a = await mpi.CreateAsync(Residents.Patient("Wang", "Ming", "1990-03-07", male: true));
        string b = await mpi.CreateAsync(Residents.Patient("李", "明", "1985-12-01", male: false));
        Assert.False(index.IsLoaded);

        IHostedService[] hosted = [.. mpi.Services.GetServices<IHostedService>()];
        foreach (IHostedService service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(index.IsLoaded && index.Count == 2) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        foreach (IHostedService service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.True(index.IsLoaded);
        Assert.NotNull(index.Get(a));
        Assert.NotNull(index.Get(b));
    }

    [Fact]
    public async Task Start_PreloadOff_NothingLoadsTheIndex()
    {
        await using MpiHarness mpi = await MpiHarness.StartAsync(new MpiOptions { PreloadIndex = false });

        Assert.DoesNotContain(mpi.Services.GetServices<IHostedService>(), s => s is PatientIndexPreloader);
    }
}
