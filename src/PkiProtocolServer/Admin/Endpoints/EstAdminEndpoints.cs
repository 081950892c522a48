using PkiProtocolServer.Admin.Auth;
using PkiProtocolServer.Admin.Contracts;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Est.Enrollment;
using PkiProtocolServer.Est.Labels;
using PkiProtocolServer.Est.Users;

namespace PkiProtocolServer.Admin.Endpoints;

/// <summary>
/// EST administration under <c>/api/v1/est</c>, for the agent persona (and operators): the labels, the enrollments held
/// for manual approval (approve, reject), and the password users of each label (one-time passwords for devices).
/// </summary>
public static class EstAdminEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var est = api.MapGroup("/est").RequirePersona(Persona.Agent);

        est.MapGet("/labels", (EstLabelRegistry labels) => Results.Ok(new { labels = labels.All.Select(EstLabelView.From).ToList() }));

        est.MapGet("/enrollments", async (string? state, int? limit, EstApprovalService approvals, CancellationToken ct) =>
            Results.Ok(new { enrollments = (await approvals.ListAsync(ParseState(state), limit ?? 100, ct)).Select(EstEnrollmentView.From).ToList() }));

        est.MapGet("/enrollments/{id}", async (string id, EstApprovalService approvals, CancellationToken ct) =>
            Results.Ok(EstEnrollmentView.From(await approvals.GetAsync(id, ct))));

        est.MapPost("/enrollments/{id}/approve", async (string id, EstApprovalService approvals, HttpContext http, CancellationToken ct) =>
            Results.Ok(EstEnrollmentView.From(await approvals.ApproveAsync(id, http.User.Actor(), ct))));

        est.MapPost("/enrollments/{id}/reject", async (string id, EstRejectBody body, EstApprovalService approvals, HttpContext http, CancellationToken ct) =>
            Results.Ok(EstEnrollmentView.From(await approvals.RejectAsync(id, body.Reason, http.User.Actor(), ct))));

        est.MapGet("/labels/{label}/users", async (string label, EstUserService users, CancellationToken ct) =>
            Results.Ok(new { users = (await users.ListAsync(label, ct)).Select(u => EstUserView.From(u)).ToList() }));

        est.MapPost("/labels/{label}/users", async (string label, EstUserBody body, EstUserService users, HttpContext http, CancellationToken ct) =>
        {
            var (user, password) = await users.CreateAsync(new EstUserRequest(label, body.Name, body.Password, body.OneTime, body.ParsedTtl()), http.User.Actor(), ct);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Ok(EstUserView.From(user, password));
        });

        est.MapDelete("/labels/{label}/users/{name}", async (string label, string name, EstUserService users, HttpContext http, CancellationToken ct) =>
        {
            await users.DeleteAsync(label, name, http.User.Actor(), ct);
            return Results.NoContent();
        });
    }

    private static PendingEnrollmentState? ParseState(string? state) =>
        state is null ? null
        : Enum.TryParse<PendingEnrollmentState>(state, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(state, out _) ? parsed
        : throw PkiException.Malformed($"state '{state}' is not pending, approved, rejected, completed or failed");
}
