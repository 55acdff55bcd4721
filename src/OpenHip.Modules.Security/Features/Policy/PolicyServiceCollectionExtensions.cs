using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenHip.Modules.Security.Features.Policy;

public static class PolicyServiceCollectionExtensions
{
    // In progress (issue #8): the IAccessPolicyProvider compiled from scopes, roles, consent and labels lands here.
    public static IServiceCollection AddAccessPolicies(this IServiceCollection services, IConfiguration configuration) => services;
}
