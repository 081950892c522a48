using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Tests.X509;

public sealed class SerialNumbersTests
{
    [Fact]
    public void Serials_are_positive_minimal_and_at_most_17_octets()
    {
        for (var i = 0; i < 5000; i++)
        {
            var serial = SerialNumbers.New();
            Assert.InRange(serial.Length, 16, 17);
            if (serial.Length == 17)
            {
                Assert.Equal(0, serial[0]);
                Assert.True((serial[1] & 0x80) != 0, "a leading zero is only there to keep the value positive");
            }
            else
            {
                Assert.True(serial[0] is > 0 and < 0x80);
            }
        }
    }

    [Fact]
    public void Serials_do_not_repeat()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 20000; i++)
        {
            Assert.True(seen.Add(SerialNumbers.ToHex(SerialNumbers.New())));
        }
    }

    [Theory]
    [InlineData("0A:1B:2C", "0a1b2c")]
    [InlineData("00ff", "ff")]
    [InlineData("abc", "0abc")]
    [InlineData("zz", null)]
    [InlineData("", null)]
    public void Operator_serial_input_is_normalised(string input, string? expected)
    {
        Assert.Equal(expected, SerialNumbers.Normalize(input));
    }
}
