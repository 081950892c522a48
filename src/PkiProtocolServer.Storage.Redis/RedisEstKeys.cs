using PkiProtocolServer.Est.Enrollment;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>The key layout of EST's stores, under the same prefix as <see cref="RedisKeys"/>.</summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>est-users:&lt;label&gt;</c> (hash)</term><description>user name → EST user JSON (password hash only); the default label is the empty name</description></item>
/// <item><term><c>est-enrollment:&lt;id&gt;</c> (string)</term><description>held enrollment JSON</description></item>
/// <item><term><c>est-enrollments:created</c> (sorted set, score = CreatedAt in unix ms)</term><description>every held enrollment id, by creation then id</description></item>
/// <item><term><c>est-enrollments:state:&lt;state&gt;</c> (sorted set, score = CreatedAt in unix ms)</term><description>ids per state</description></item>
/// <item><term><c>est-enrollments:open</c> (hash)</term><description><c>&lt;label&gt;|&lt;operation&gt;|&lt;request hash&gt;</c> → id of the open (pending, approved or rejected) enrollment</description></item>
/// </list>
/// </remarks>
internal static class RedisEstKeys
{
    public static readonly RedisKey EnrollmentsByCreation = "est-enrollments:created";

    public static readonly RedisKey OpenEnrollments = "est-enrollments:open";

    public static RedisKey Users(string label) => "est-users:" + label;

    public static RedisKey Enrollment(string id) => "est-enrollment:" + id;

    public static RedisKey EnrollmentsByState(PendingEnrollmentState state) => "est-enrollments:state:" + StateName(state);

    /// <summary>The field of <see cref="OpenEnrollments"/>; the request hash and operation name never hold a <c>|</c>, so the label's own bars cannot make two requests collide.</summary>
    public static string OpenField(string label, EstOperation operation, string requestHash) => requestHash + "|" + operation.PathName() + "|" + label;

    public static string StateName(PendingEnrollmentState state) => state.ToString().ToLowerInvariant();
}
