namespace PkiProtocolServer.Core.Tests.Support;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualTime : TimeProvider
{
    public ManualTime(DateTimeOffset? start = null)
    {
        Now = start ?? DateTimeOffset.UtcNow;
    }

    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
