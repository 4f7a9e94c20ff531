using System;
using Terminal.Iso7816;
using Terminal.Simulator;

namespace Terminal.Fuzz.Harnesses
{
    /// <summary>
    /// Command APDUs (ISO/IEC 7816-4 §5.1): <see cref="CommandApdu.Parse"/> on the input. Checks: a
    /// defined <see cref="ApduError"/>; for a well-formed APDU, a case consistent with Nc and Ne, the
    /// data inside the input, and <see cref="CommandApdu.Encode"/> of the decoded fields giving back the
    /// input byte for byte; and the same verdict, Nc, Ne and data from the simulated card's own parser
    /// (<see cref="ApduCommand.Parse"/>): the reader and the card agree on every APDU.
    /// </summary>
    public sealed class ApduHarness : Harness
    {
        /// <inheritdoc/>
        public override string Name => "apdu";

        /// <inheritdoc/>
        public override string Description => "a command APDU: CommandApdu.Parse, Encode round trip, agreement with the simulator's ApduCommand.Parse";

        /// <inheritdoc/>
        protected override string Execute(byte[] data, Budget budget)
        {
            var apdu = new CommandApdu();
            ApduError e = apdu.Parse(data, 0, data.Length);
            Check(Enum.IsDefined(typeof(ApduError), e), $"undefined ApduError {(int)e}");
            ApduCommand? card = data.Length >= 4 ? ApduCommand.Parse(data, 0, data.Length) : null;
            if (e != ApduError.None)
            {
                Check(apdu.Case == ApduCase.Invalid && apdu.Nc == 0 && apdu.Ne == 0, $"{e} leaves case {apdu.Case}, Nc {apdu.Nc}, Ne {apdu.Ne}");
                Check(card == null, $"the reader refuses the APDU ({e}) but the card accepts it (Nc {card?.Data.Length}, Ne {card?.Ne})");
                return e.ToString();
            }

            Check(apdu.Nc >= 0 && apdu.Nc <= 65535 && apdu.Ne >= 0 && apdu.Ne <= 65536, $"Nc {apdu.Nc}, Ne {apdu.Ne}");
            Check(apdu.DataOffset >= 4 && apdu.DataOffset + apdu.Nc <= data.Length, $"data at {apdu.DataOffset}+{apdu.Nc} of {data.Length}");
            switch (apdu.Case)
            {
                case ApduCase.Case1: Check(apdu.Nc == 0 && apdu.Ne == 0, "case 1 with data or Le"); break;
                case ApduCase.Case2: Check(apdu.Nc == 0 && apdu.Ne > 0, "case 2 without Le or with data"); break;
                case ApduCase.Case3: Check(apdu.Nc > 0 && apdu.Ne == 0, "case 3 without data or with Le"); break;
                case ApduCase.Case4: Check(apdu.Nc > 0 && apdu.Ne > 0, "case 4 without data or Le"); break;
                default: Check(false, $"well formed with case {apdu.Case}"); break;
            }
            Check(apdu.Cla == data[0] && apdu.Ins == data[1] && apdu.P1 == data[2] && apdu.P2 == data[3], "header fields differ from the input");

            var encoded = new byte[data.Length + 8];
            int n = CommandApdu.Encode(apdu.Cla, apdu.Ins, apdu.P1, apdu.P2, data, apdu.DataOffset, apdu.Nc, apdu.Ne, apdu.IsExtended, encoded, 0);
            Check(n == data.Length, $"Encode of the decoded APDU gives {n} bytes, the input has {data.Length}");
            for (int i = 0; i < n; i++)
            {
                Check(encoded[i] == data[i], $"Encode of the decoded APDU differs at byte {i}");
            }

            Check(card != null, $"the reader accepts the APDU ({apdu.Case}, Nc {apdu.Nc}, Ne {apdu.Ne}) but the card refuses it");
            Check(card!.Data.Length == apdu.Nc && card.Ne == apdu.Ne, $"reader Nc {apdu.Nc} Ne {apdu.Ne}, card Nc {card.Data.Length} Ne {card.Ne}");
            for (int i = 0; i < apdu.Nc; i++)
            {
                Check(card.Data[i] == data[apdu.DataOffset + i], $"card data differs at {i}");
            }
            return $"{apdu.Case}{(apdu.IsExtended ? " extended" : "")}";
        }
    }
}
