using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Terminal.PinPad;

namespace Terminal.Tests.Properties
{
    /// <summary>The PIN structure and pseudo-APDU parsers on arbitrary host input: a status, never an exception.</summary>
    public class PinPadProperties
    {
        /// <summary>CCID rev 1.1 §6.1.11 and PC/SC part 10 §2.5.2/§2.5.3 structures: any bytes, any form and layout.</summary>
        [Property(MaxTest = 3000)]
        public bool PinStructure_ArbitraryBytes_ParseReturnsAStatus(byte[] bytes, byte form, byte layout)
        {
            PinCommand command = new PinCommand();
            PinParseStatus status = PinStructureParser.Parse(bytes, 0, bytes.Length, (PinStructureForm)(form % 3), (MessageIndexLayout)(layout % 4), command, out int errorOffset);
            return Enum.IsDefined(status) && (status == PinParseStatus.Ok ? errorOffset == -1 : errorOffset >= 0 && errorOffset <= Math.Max(0, bytes.Length));
        }

        /// <summary>Pseudo-APDUs (TR-03119 FF 9A, PC/SC part 10 FF C2): any bytes are classified, and data bounds stay inside the input.</summary>
        [Property(MaxTest = 3000)]
        public bool PseudoApdu_ArbitraryBytes_ClassifiedWithinBounds(byte[] bytes)
        {
            PseudoApduKind kind = PseudoApdu.Classify(bytes, 0, bytes.Length);
            bool bounded = !PseudoApdu.DataOf(bytes, 0, bytes.Length, out int dataOffset, out int dataLength)
                || (dataOffset >= 0 && dataLength >= 0 && dataOffset + dataLength <= bytes.Length);
            return Enum.IsDefined(kind) && bounded;
        }

        /// <summary>Input that starts like a pseudo-APDU (FF 9A / FF C2 01) is still classified without an exception.</summary>
        [Property(MaxTest = 3000)]
        public Property PseudoApdu_PseudoPrefixes_ClassifiedWithinBounds()
        {
            Gen<byte[]> gen =
                from prefix in Gen.Elements(new byte[] { 0xFF, 0x9A }, new byte[] { 0xFF, 0xC2, 0x01 }, new byte[] { 0xFF, 0x9A, 0x04, 0x10 })
                from rest in ArbMap.Default.GeneratorFor<byte[]>()
                select Concat(prefix, rest);
            return Prop.ForAll(gen.ToArbitrary(), bytes => PseudoApdu_ArbitraryBytes_ClassifiedWithinBounds(bytes));
        }

        private static byte[] Concat(byte[] a, byte[] b)
        {
            byte[] r = new byte[a.Length + b.Length];
            a.CopyTo(r, 0);
            b.CopyTo(r, a.Length);
            return r;
        }
    }
}
