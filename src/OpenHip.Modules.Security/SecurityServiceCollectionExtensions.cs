using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Modules.Security.Features.Audit;
using OpenHip.Modules.Security.Features.Authorization;
using OpenHip.Modules.Security.Features.Policy;

namespace OpenHip.Modules.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Auth on: the SMART authorization server and token validation, the access policies compiled from tokens, and the
    /// tamper-evident audit log as the audit sink.
    /// </summary>
    public static IServiceCollection AddSecurityModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSmartAuthorization(configuration).AddAccessPolicies(configuration).AddAuditLog(configuration);
}
