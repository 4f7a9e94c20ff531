using System;
using System.Runtime.CompilerServices;
using Terminal.Iso7816.Crypto;

namespace Terminal.Esp32Ec
{
    /// <summary>
    /// <see cref="IEcArithmetic"/> on the ESP32's mbedTLS through a nanoFramework interop library (native side in
    /// hardware/esp32-ec/native, linked into a custom nanoFramework firmware). The managed side checks arguments and
    /// leaves the arithmetic to <c>mbedtls_ecp_mul</c> (blinded, constant-time k·P) and <c>mbedtls_ecp_muladd</c>
    /// (only as 1·A + 1·B for the point addition, so no secret scalar goes through it).
    /// </summary>
    /// <remarks>NOT BUILT HERE: it needs the custom firmware (see hardware/esp32-ec/README.md). Calling it on a
    /// stock firmware throws NotImplementedException from the runtime (no native method bound).</remarks>
    public sealed class Esp32EcArithmetic : IEcArithmetic
    {
        private readonly EcCurve _curve;
        private readonly int _id;

        /// <summary>The arithmetic of <paramref name="curve"/> (TR-03110 parameter ID 12, 13 or 16).</summary>
        public Esp32EcArithmetic(EcCurve curve)
        {
            _curve = curve;
            _id = curve.ParameterId;
            if (_id != 12 && _id != 13 && _id != 16)
            {
                throw new ArgumentException("curve");
            }
        }

        /// <inheritdoc/>
        public EcCurve Curve
        {
            get { return _curve; }
        }

        /// <inheritdoc/>
        public bool IsOnCurve(byte[] point, int offset)
        {
            if (point == null || offset < 0 || point.Length - offset < _curve.PointLength)
            {
                return false;
            }
            return NativeIsOnCurve(_id, point, offset);
        }

        /// <inheritdoc/>
        public bool Multiply(byte[] scalar, int scalarOffset, int scalarLength, byte[] point, int pointOffset, byte[] result, int resultOffset)
        {
            if (!ScalarFits(scalar, scalarOffset, scalarLength) || !PointFits(point, pointOffset) || !PointFits(result, resultOffset))
            {
                return false;
            }
            return NativeMultiply(_id, scalar, scalarOffset, scalarLength, point, pointOffset, result, resultOffset);
        }

        /// <inheritdoc/>
        public bool MultiplyAdd(byte[] scalar, int scalarOffset, int scalarLength, byte[] point, int pointOffset,
            byte[] addend, int addendOffset, byte[] result, int resultOffset)
        {
            if (!ScalarFits(scalar, scalarOffset, scalarLength) || !PointFits(point, pointOffset) || !PointFits(addend, addendOffset)
                || !PointFits(result, resultOffset))
            {
                return false;
            }
            return NativeMultiplyAdd(_id, scalar, scalarOffset, scalarLength, point, pointOffset, addend, addendOffset, result, resultOffset);
        }

        /// <inheritdoc/>
        public void RandomScalar(byte[] output, int offset)
        {
            if (output == null || offset < 0 || output.Length - offset < _curve.FieldLength)
            {
                throw new ArgumentException("output");
            }
            NativeRandomScalar(_id, output, offset);
        }

        private bool ScalarFits(byte[] scalar, int offset, int length)
        {
            return scalar != null && offset >= 0 && length > 0 && length <= 2 * _curve.FieldLength && scalar.Length - offset >= length;
        }

        private bool PointFits(byte[] point, int offset)
        {
            return point != null && offset >= 0 && point.Length - offset >= _curve.PointLength;
        }

        // The native methods (Terminal_Esp32Ec_Terminal_Esp32Ec_Esp32EcArithmetic.cpp). The arrays are the
        // caller's; the native side reads and writes only the ranges checked above.

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern bool NativeIsOnCurve(int curveId, byte[] point, int pointOffset);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern bool NativeMultiply(int curveId, byte[] scalar, int scalarOffset, int scalarLength,
            byte[] point, int pointOffset, byte[] result, int resultOffset);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern bool NativeMultiplyAdd(int curveId, byte[] scalar, int scalarOffset, int scalarLength,
            byte[] point, int pointOffset, byte[] addend, int addendOffset, byte[] result, int resultOffset);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void NativeRandomScalar(int curveId, byte[] output, int outputOffset);
    }
}
