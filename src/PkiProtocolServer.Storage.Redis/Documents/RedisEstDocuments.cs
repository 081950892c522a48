using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using PkiProtocolServer.Est.Enrollment;
using PkiProtocolServer.Est.Users;

namespace PkiProtocolServer.Storage.Redis.Documents;

/// <summary>Source-generated JSON for EST's documents, with the options of <see cref="RedisJson"/>.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(EstUserDocument))]
[JsonSerializable(typeof(PendingEnrollmentDocument))]
internal sealed partial class RedisEstJsonContext : JsonSerializerContext
{
    /// <summary>The same escaping and instant format as <see cref="RedisJson.Context"/>.</summary>
    public static RedisEstJsonContext Instance { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new UtcMillisecondsConverter() },
    });
}

/// <summary>An EST user, a value of the hash <c>est-users:&lt;label&gt;</c>. Only the password hash is kept.</summary>
internal sealed record EstUserDocument
{
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("password_hash")]
    public required string PasswordHash { get; init; }

    [JsonPropertyName("one_time")]
    public bool OneTime { get; init; }

    [JsonPropertyName("created_at")]
    public required DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("created_by")]
    public required string CreatedBy { get; init; }

    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    [JsonPropertyName("consumed_at")]
    public DateTimeOffset? ConsumedAt { get; init; }

    [JsonPropertyName("consumed_for")]
    public string? ConsumedFor { get; init; }

    public static EstUserDocument From(EstUser user) => new()
    {
        Label = user.Label,
        Name = user.Name,
        PasswordHash = user.PasswordHash,
        OneTime = user.OneTime,
        CreatedAt = user.CreatedAt,
        CreatedBy = user.CreatedBy,
        ExpiresAt = user.ExpiresAt,
        ConsumedAt = user.ConsumedAt,
        ConsumedFor = user.ConsumedFor,
    };

    public EstUser ToUser() => new()
    {
        Label = Label,
        Name = Name,
        PasswordHash = PasswordHash,
        OneTime = OneTime,
        CreatedAt = CreatedAt,
        CreatedBy = CreatedBy,
        ExpiresAt = ExpiresAt,
        ConsumedAt = ConsumedAt,
        ConsumedFor = ConsumedFor,
    };
}

/// <summary>An enrollment held for manual approval, stored under <c>est-enrollment:&lt;id&gt;</c>.</summary>
internal sealed record PendingEnrollmentDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("label")]
    public required string Label { get; init; }

    [JsonPropertyName("operation")]
    public required EstOperation Operation { get; init; }

    [JsonPropertyName("request_hash")]
    public required string RequestHash { get; init; }

    [JsonPropertyName("csr_der")]
    public required byte[] CsrDer { get; init; }

    [JsonPropertyName("requester")]
    public required string Requester { get; init; }

    [JsonPropertyName("common_name")]
    public string? CommonName { get; init; }

    [JsonPropertyName("subject_alt_names")]
    public List<string>? SubjectAlternativeNames { get; init; }

    [JsonPropertyName("state")]
    public required PendingEnrollmentState State { get; init; }

    [JsonPropertyName("created_at")]
    public required DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("decided_at")]
    public DateTimeOffset? DecidedAt { get; init; }

    [JsonPropertyName("decided_by")]
    public string? DecidedBy { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    [JsonPropertyName("completed_at")]
    public DateTimeOffset? CompletedAt { get; init; }

    [JsonPropertyName("serial")]
    public string? Serial { get; init; }

    public static PendingEnrollmentDocument From(PendingEnrollment enrollment) => new()
    {
        Id = enrollment.Id,
        Label = enrollment.Label,
        Operation = enrollment.Operation,
        RequestHash = enrollment.RequestHash,
        CsrDer = enrollment.CsrDer,
        Requester = enrollment.Requester,
        CommonName = enrollment.CommonName,
        SubjectAlternativeNames = [.. enrollment.SubjectAlternativeNames],
        State = enrollment.State,
        CreatedAt = enrollment.CreatedAt,
        DecidedAt = enrollment.DecidedAt,
        DecidedBy = enrollment.DecidedBy,
        Reason = enrollment.Reason,
        CompletedAt = enrollment.CompletedAt,
        Serial = enrollment.Serial,
    };

    public PendingEnrollment ToEnrollment() => new()
    {
        Id = Id,
        Label = Label,
        Operation = Operation,
        RequestHash = RequestHash,
        CsrDer = CsrDer,
        Requester = Requester,
        CommonName = CommonName,
        SubjectAlternativeNames = SubjectAlternativeNames ?? [],
        State = State,
        CreatedAt = CreatedAt,
        DecidedAt = DecidedAt,
        DecidedBy = DecidedBy,
        Reason = Reason,
        CompletedAt = CompletedAt,
        Serial = Serial,
    };
}
