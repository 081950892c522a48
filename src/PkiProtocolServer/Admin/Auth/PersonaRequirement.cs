using Microsoft.AspNetCore.Authorization;

namespace PkiProtocolServer.Admin.Auth;

/// <summary>Requires at least a given persona (personas are ordered: operator includes agent, and so on).</summary>
public sealed class PersonaRequirement : AuthorizationHandler<PersonaRequirement>, IAuthorizationRequirement
{
    public PersonaRequirement(Persona minimum)
    {
        Minimum = minimum;
    }

    public Persona Minimum { get; }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PersonaRequirement requirement)
    {
        if (Personas.TryParse(context.User.FindFirst(Personas.ClaimType)?.Value, out var persona) && persona >= requirement.Minimum)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
