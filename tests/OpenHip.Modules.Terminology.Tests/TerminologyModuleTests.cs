using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests;

public sealed class TerminologyModuleTests
{
    [Fact]
    public void AddTerminologyModule_RegistersItsOptions()
    {
        var options = new TerminologyOptions();
        ServiceDescriptor registered = Assert.Single(new ServiceCollection().AddTerminologyModule(options), d => d.ServiceType == typeof(IOptions<TerminologyOptions>));
        Assert.Same(options, ((IOptions<TerminologyOptions>)registered.ImplementationInstance!).Value);
    }
}
