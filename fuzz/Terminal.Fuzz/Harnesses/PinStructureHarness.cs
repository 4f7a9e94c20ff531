using System;
using Terminal.Iso7816;
using Terminal.PinPad;

namespace Terminal.Fuzz.Harnesses
{
    /// <summary>
    /// PIN_VERIFY / PIN_MODIFY structures (CCID PC_to_RDR_Secure abData, PC/SC part 10): byte 0 picks
    /// the form (bits 0-1, 3 = CCID), the CCID modify message-index layout (bits 2-3) and the typed
    /// PIN length (bits 4-7, kept within the structure's minimum and maximum); the structure is the rest, parsed in place (offset 1) by
    /// <see cref="PinStructureParser.Parse"/>. Checks: a defined status; the error offset -1 exactly
    /// when well formed, else inside the structure; a well-formed command's APDU template inside the
    /// input with its Lc; then <see cref="PinBlockBuilder.Build"/> with PINs of that length writes
    /// nothing outside its area and makes a well-formed short APDU with the template's header.
    /// </summary>
    public sealed class PinStructureHarness : Harness
    {
        /// <inheritdoc/>
        public override string Name => "pin";

        /// <inheritdoc/>
        public override string Description => "a PIN verify/modify structure: PinStructureParser.Parse, then PinBlockBuilder.Build";

        /// <inheritdoc/>
        protected override string Execute(byte[] data, Budget budget)
        {
            if (data.Length == 0)
            {
                return "empty";
            }
            int f = data[0] & 3;
            var form = f == 1 ? PinStructureForm.PcscVerify : f == 2 ? PinStructureForm.PcscModify : PinStructureForm.CcidSecure;
            var layout = (MessageIndexLayout)((data[0] >> 2) & 3);
            int digits = data[0] >> 4;
            int length = data.Length - 1;

            var command = new PinCommand();
            PinParseStatus status = PinStructureParser.Parse(data, 1, length, form, layout, command, out int errorOffset);
            Check(Enum.IsDefined(typeof(PinParseStatus), status), $"undefined PinParseStatus {(int)status}");
            byte bError = PinStructureParser.CcidBError(errorOffset);
            Check(bError >= PinStructureParser.CcidHeaderLength && bError <= 127, $"bError {bError} for offset {errorOffset}");
            if (status != PinParseStatus.Ok)
            {
                Check(errorOffset >= 0 && errorOffset <= length, $"{status} at offset {errorOffset} of a {length}-byte structure");
                return $"{status} at {errorOffset}";
            }

            Check(errorOffset == -1, $"Ok with error offset {errorOffset}");
            Check(command.Buffer == data, "the command does not view the structure");
            Check(command.ApduLength >= 4 && command.ApduOffset >= 1 && command.ApduOffset + command.ApduLength <= data.Length,
                $"APDU template at {command.ApduOffset}+{command.ApduLength} of {data.Length}");
            Check(command.TemplateLc >= 0 && command.TemplateLc <= 255 && 5 + command.TemplateLc + (command.TemplateHasLe ? 1 : 0) <= Math.Max(5, command.ApduLength),
                $"template Lc {command.TemplateLc} (Le {command.TemplateHasLe}) in a {command.ApduLength}-byte template");
            Check(command.MinDigits <= command.MaxDigits && command.MaxDigits > 0, $"min {command.MinDigits} max {command.MaxDigits}");
            Check(command.Operation == PinOperation.Verify || command.Operation == PinOperation.Modify, $"operation {command.Operation}");
            Check(command.MessageIndexCount >= 1 && command.MessageIndexCount <= 3, $"{command.MessageIndexCount} message indexes");

            // The APDU the reader would send to the card with PINs of the chosen length (the keypad only
            // accepts lengths between the structure's minimum and maximum).
            digits = Math.Max(command.MinDigits, Math.Min(digits, Math.Min(command.MaxDigits, PinBuffer.DefaultCapacity)));
            var current = Pin(digits, 1);
            var newPin = Pin(digits, 7);
            int capacity = PinBlockBuilder.MaxApduLength;
            var apdu = new byte[Guard + capacity + Guard];
            Fill(apdu);
            int n = PinBlockBuilder.Build(command, current, command.Operation == PinOperation.Modify ? newPin : null, apdu, Guard, capacity);
            CheckGuards(apdu, Guard, capacity, "PinBlockBuilder.Build");
            current.Wipe();
            newPin.Wipe();
            if (n < 0)
            {
                Check(n == -1, $"Build returned {n}");
                return $"{command.Operation} ok, {digits} digits do not fit";
            }
            Check(n >= 5 && n <= capacity, $"Build made a {n}-byte APDU");
            for (int i = 0; i < 4; i++)
            {
                Check(apdu[Guard + i] == data[command.ApduOffset + i], $"built APDU header byte {i} differs from the template");
            }
            var parsed = new CommandApdu();
            ApduError e = parsed.Parse(apdu, Guard, n);
            Check(e == ApduError.None && !parsed.IsExtended && (n == 5 || parsed.Nc == apdu[Guard + 4]),
                $"Build made an APDU that does not parse as a short command ({e}, Lc {apdu[Guard + 4]}, {n} bytes)");
            Check(parsed.Case == ApduCase.Case3 || parsed.Case == ApduCase.Case4 || (n == 5 && apdu[Guard + 4] == 0),
                $"Build made a {parsed.Case} APDU");
            return $"{command.Operation} ok, {n}-byte APDU";
        }

        private static PinBuffer Pin(int digits, int seed)
        {
            var pin = new PinBuffer();
            for (int i = 0; i < digits; i++)
            {
                pin.Append((seed + i * 3) % 10);
            }
            return pin;
        }
    }
}
