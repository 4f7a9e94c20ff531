using System;
using Terminal.Iso7816;

namespace Terminal.Fuzz.Harnesses
{
    /// <summary>
    /// A card that answers anything, from activation on: byte 0 bit 0 asks for PPS, bit 1 for S(IFS)
    /// negotiation, bits 2-4 choose the command APDU (cases 1 to 4, short and extended, some chained or
    /// enveloped); the rest is every character the card sends (ATR, PPS response, T=0 procedure bytes
    /// and data, T=1 blocks), with the line events of <see cref="FuzzCardLine"/>.
    /// <see cref="CardSession.PowerOn"/> then <see cref="CardSession.TransmitApdu"/> twice. Checks: only
    /// ATR lengths, response lengths within the capacity and documented errors; nothing written outside
    /// the response area; the line never configured with a rate outside ISO tables; a session that
    /// reports success is active in T=0 or T=1.
    /// </summary>
    public sealed class CardSessionHarness : Harness
    {
        private static readonly int[][] Commands =
        {
            new[] { 4, 0, 0 },        // case 1
            new[] { 5, 0, 256 },      // case 2, Le 00
            new[] { 5, 0, 16 },       // case 2
            new[] { 4, 20, 0 },       // case 3
            new[] { 4, 20, 256 },     // case 4
            new[] { 4, 300, 0 },      // case 3 extended (ENVELOPE in T=0, chaining in T=1)
            new[] { 4, 0, 1000 },     // case 2 extended
            new[] { 4, 255, 65536 },  // case 4 extended
        };

        /// <inheritdoc/>
        public override string Name => "card";

        /// <inheritdoc/>
        public override string Description => "every character a card sends: CardSession.PowerOn (ATR, PPS, IFS) and TransmitApdu (T=0 procedure bytes, GET RESPONSE, T=1)";

        /// <inheritdoc/>
        protected override string Execute(byte[] data, Budget budget)
        {
            if (data.Length < 1)
            {
                return "empty";
            }
            bool autoPps = (data[0] & 1) != 0;
            var line = new FuzzCardLine(data, 1, budget, escapes: true);
            var session = new CardSession(line) { NegotiateIfsd = (data[0] & 2) != 0 };
            int power = session.PowerOn(VoltageClass.B, 500_000, autoPps);
            Check(IsLengthOrTransmissionError(power, Atr.MaxLength), $"PowerOn returned {power}");
            Check(power != TransmissionError.BadCommand && power != TransmissionError.NotActive, $"PowerOn returned {TransmissionError.Name(power)}");
            if (power < 0)
            {
                return $"power {TransmissionError.Name(power)}";
            }
            Check(session.IsActive && (session.Protocol == 0 || session.Protocol == 1), $"PowerOn succeeded but the session is in protocol {session.Protocol}");
            Check(power == session.Atr.Length && !Atr.IsFatal(session.Atr.LastError), $"PowerOn returned {power} for an ATR of {session.Atr.Length} bytes ({session.Atr.LastError})");

            int[] shape = Commands[(data[0] >> 2) & 7];
            var command = Build(shape);
            int capacity = 2 + Math.Min(shape[2] == 0 ? 0 : shape[2], 65536);
            var response = new byte[Guard + capacity + Guard];
            string result = $"T={session.Protocol}";
            for (int round = 0; round < 2; round++)
            {
                Fill(response);
                int r = session.TransmitApdu(command, 0, command.Length, response, Guard, capacity);
                CheckGuards(response, Guard, capacity, "TransmitApdu");
                Check(IsLengthOrTransmissionError(r, capacity), $"TransmitApdu returned {r} with capacity {capacity}");
                Check(r != TransmissionError.BadCommand, "TransmitApdu refused a well-formed command");
                Check(r < 0 || r >= 2 || session.Protocol == 1, $"a T=0 response of {r} bytes (no status word)");
                result += r >= 0 ? $", {r} bytes" : $", {TransmissionError.Name(r)}";
                if (r == TransmissionError.NotActive || r == TransmissionError.Deactivated || r == TransmissionError.CardRemoved)
                {
                    break;
                }
            }
            return result;
        }

        private static byte[] Build(int[] shape)
        {
            int nc = shape[1];
            int ne = shape[2];
            var data = new byte[nc];
            for (int i = 0; i < nc; i++)
            {
                data[i] = (byte)(0x30 + i);
            }
            var apdu = new byte[nc + 9];
            int n = CommandApdu.Encode(0x00, nc > 0 ? (byte)0xD6 : (byte)0xB0, 0x00, 0x00, data, 0, nc, ne, false, apdu, 0);
            if (n < 0)
            {
                throw new InvalidOperationException("harness command does not encode");
            }
            var exact = new byte[n];
            Array.Copy(apdu, 0, exact, 0, n);
            return exact;
        }
    }
}
