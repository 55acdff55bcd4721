using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenHip.Modules.Security.Features.Authorization;

public static class AuthorizationServiceCollectionExtensions
{
    // In progress (issue #8): the OpenIddict authorization server and bearer-token validation land here.
    public static IServiceCollection AddSmartAuthorization(this IServiceCollection services, IConfiguration configuration) => services;
}
