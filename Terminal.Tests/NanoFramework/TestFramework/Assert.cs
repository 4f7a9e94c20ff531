using System;
using System.Collections;
using TestFrameworkShared;

namespace nanoFramework.TestFramework
{
    /// <summary>Assertions of the device test framework (desktop stand-in).</summary>
    /// <remarks>Generated once from the API list; a test compares this surface with the list.</remarks>
    public class Assert
    {
        private static void Fail(string what, string message)
        {
            throw new AssertFailedException(message.Length == 0 ? what : what + ": " + message);
        }

        private static string Show(object? value) => value == null ? "(null)" : value is string s ? "\"" + s + "\"" : value.ToString() ?? "";
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(bool expected, bool actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(bool expected, bool actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(bool notExpected, bool actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(bool notExpected, bool actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(byte expected, byte actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(byte expected, byte actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(byte notExpected, byte actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(byte notExpected, byte actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(char expected, char actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(char expected, char actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(char notExpected, char actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(char notExpected, char actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(DateTime expected, DateTime actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(DateTime expected, DateTime actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(DateTime notExpected, DateTime actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(DateTime notExpected, DateTime actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(double expected, double actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(double expected, double actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(double notExpected, double actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(double notExpected, double actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(short expected, short actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(short expected, short actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(short notExpected, short actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(short notExpected, short actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(int expected, int actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(int expected, int actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(int notExpected, int actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(int notExpected, int actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(long expected, long actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(long expected, long actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(long notExpected, long actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(long notExpected, long actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(sbyte expected, sbyte actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(sbyte expected, sbyte actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(sbyte notExpected, sbyte actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(sbyte notExpected, sbyte actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(float expected, float actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(float expected, float actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(float notExpected, float actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(float notExpected, float actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(string expected, string actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(string expected, string actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(string notExpected, string actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(string notExpected, string actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(ushort expected, ushort actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(ushort expected, ushort actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(ushort notExpected, ushort actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(ushort notExpected, ushort actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(uint expected, uint actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(uint expected, uint actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(uint notExpected, uint actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(uint notExpected, uint actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void AreEqual(ulong expected, ulong actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails unless the values are equal.</summary>
        public static void Equal(ulong expected, ulong actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("Equal failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void AreNotEqual(ulong notExpected, ulong actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails when the values are equal.</summary>
        public static void NotEqual(ulong notExpected, ulong actual, string message = "")
        {
            if (notExpected.Equals(actual)) { Fail("NotEqual failed: both are " + Show(actual), message); }
        }
        /// <summary>Fails unless the objects are equal.</summary>
        public static void AreEqual(object expected, object actual, string message = "")
        {
            if (!Equals(expected, actual)) { Fail("AreEqual failed: expected " + Show(expected) + ", actual " + Show(actual), message); }
        }

        /// <summary>Fails when the objects are equal.</summary>
        public static void AreNotEqual(object notExpected, object actual, string message = "")
        {
            if (Equals(notExpected, actual)) { Fail("AreNotEqual failed: both are " + Show(actual), message); }
        }

        /// <summary>Fails unless both arrays hold equal elements.</summary>
        public static void Equal(Array expected, Array actual, string message = "")
        {
            if (expected == null || actual == null || !expected.SequenceEqual(actual)) { Fail("Equal failed: arrays differ (expected " + Hex(expected) + ", actual " + Hex(actual) + ")", message); }
        }

        /// <summary>Fails when both arrays hold equal elements.</summary>
        public static void NotEqual(Array notExpected, Array actual, string message = "")
        {
            if (notExpected != null && actual != null && notExpected.SequenceEqual(actual)) { Fail("NotEqual failed: arrays are equal", message); }
        }

        private static string Hex(Array? a)
        {
            if (a == null) { return "(null)"; }
            if (a is byte[] b) { return Convert.ToHexString(b); }
            return a.GetType().Name + "[" + a.Length + "]";
        }

        /// <summary>Fails unless the condition holds.</summary>
        public static void IsTrue(bool condition, string message = "") { if (!condition) { Fail("IsTrue failed", message); } }

        /// <summary>Fails unless the condition holds.</summary>
        public static void True(bool condition, string message = "") { if (!condition) { Fail("True failed", message); } }

        /// <summary>Fails when the condition holds.</summary>
        public static void IsFalse(bool condition, string message = "") { if (condition) { Fail("IsFalse failed", message); } }

        /// <summary>Fails when the condition holds.</summary>
        public static void False(bool condition, string message = "") { if (condition) { Fail("False failed", message); } }

        /// <summary>Fails unless the object is null.</summary>
        public static void IsNull(object? obj, string message = "") { if (obj != null) { Fail("IsNull failed: " + Show(obj), message); } }

        /// <summary>Fails unless the object is null.</summary>
        public static void Null(object? obj, string message = "") { if (obj != null) { Fail("Null failed: " + Show(obj), message); } }

        /// <summary>Fails when the object is null.</summary>
        public static void IsNotNull(object? obj, string message = "") { if (obj == null) { Fail("IsNotNull failed", message); } }

        /// <summary>Fails when the object is null.</summary>
        public static void NotNull(object? obj, string message = "") { if (obj == null) { Fail("NotNull failed", message); } }

        /// <summary>Fails unless both references are the same object.</summary>
        public static void AreSame(object expected, object actual, string message = "") { if (!ReferenceEquals(expected, actual)) { Fail("AreSame failed", message); } }

        /// <summary>Fails unless both references are the same object.</summary>
        public static void Same(object expected, object actual, string message = "") { if (!ReferenceEquals(expected, actual)) { Fail("Same failed", message); } }

        /// <summary>Fails when both references are the same object.</summary>
        public static void AreNotSame(object notExpected, object actual, string message = "") { if (ReferenceEquals(notExpected, actual)) { Fail("AreNotSame failed", message); } }

        /// <summary>Fails when both references are the same object.</summary>
        public static void NotSame(object notExpected, object actual, string message = "") { if (ReferenceEquals(notExpected, actual)) { Fail("NotSame failed", message); } }

        /// <summary>Fails unless <paramref name="actual"/> contains <paramref name="expected"/>.</summary>
        public static void Contains(string expected, string actual, string message = "") { if (actual == null || !actual.Contains(expected, StringComparison.Ordinal)) { Fail("Contains failed: " + Show(expected) + " not in " + Show(actual), message); } }

        /// <summary>Fails when <paramref name="actual"/> contains <paramref name="notExpected"/>.</summary>
        public static void DoesNotContains(string notExpected, string actual, string message = "") { if (actual != null && actual.Contains(notExpected, StringComparison.Ordinal)) { Fail("DoesNotContains failed: " + Show(notExpected) + " in " + Show(actual), message); } }

        /// <summary>Fails unless <paramref name="actual"/> starts with <paramref name="expected"/>.</summary>
        public static void StartsWith(string expected, string actual, string message = "") { if (actual == null || !actual.StartsWith(expected, StringComparison.Ordinal)) { Fail("StartsWith failed", message); } }

        /// <summary>Fails unless <paramref name="actual"/> ends with <paramref name="expected"/>.</summary>
        public static void EndsWith(string expected, string actual, string message = "") { if (actual == null || !actual.EndsWith(expected, StringComparison.Ordinal)) { Fail("EndsWith failed", message); } }

        /// <summary>Fails unless the collection is empty.</summary>
        public static void Empty(ICollection collection, string message = "") { if (collection.Count != 0) { Fail("Empty failed: " + collection.Count + " elements", message); } }

        /// <summary>Fails when the collection is empty.</summary>
        public static void NotEmpty(ICollection collection, string message = "") { if (collection.Count == 0) { Fail("NotEmpty failed", message); } }

        /// <summary>Fails unless the object is of the type.</summary>
        public static void IsInstanceOfType(object obj, Type type, string message = "") { if (obj == null || !type.IsInstanceOfType(obj)) { Fail("IsInstanceOfType failed", message); } }

        /// <summary>Fails when the object is of the type.</summary>
        public static void IsNotInstanceOfType(object obj, Type type, string message = "") { if (obj != null && type.IsInstanceOfType(obj)) { Fail("IsNotInstanceOfType failed", message); } }

        /// <summary>Fails unless the object's type is exactly the type.</summary>
        public static void IsType(Type type, object obj, string message = "") { if (obj == null || obj.GetType() != type) { Fail("IsType failed", message); } }

        /// <summary>Fails when the object's type is exactly the type.</summary>
        public static void IsNotType(Type type, object obj, string message = "") { if (obj != null && obj.GetType() == type) { Fail("IsNotType failed", message); } }

        /// <summary>Skips the running test.</summary>
        public static void SkipTest(string message = "") { throw new SkipTestException(message); }

        /// <summary>Fails unless the action throws exactly the exception type.</summary>
        public static void ThrowsException(Type exceptionType, Action action, string message = "")
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                if (e.GetType() != exceptionType) { Fail("ThrowsException failed: threw " + e.GetType().FullName + " instead of " + exceptionType.FullName, message); }
                return;
            }
            Fail("ThrowsException failed: nothing thrown, expected " + exceptionType.FullName, message);
        }

        /// <summary>Fails unless the action throws exactly the exception type.</summary>
        public static void Throws(Type exceptionType, Action action, string message = "") => ThrowsException(exceptionType, action, message);
    }

    /// <summary>Collection assertions of the device test framework.</summary>
    public class CollectionAssert
    {
        /// <summary>Fails unless the collection is empty.</summary>
        public static void Empty(ICollection collection, string message = "") => Assert.Empty(collection, message);

        /// <summary>Fails when the collection is empty.</summary>
        public static void NotEmpty(ICollection collection, string message = "") => Assert.NotEmpty(collection, message);
    }

    /// <summary>Runner helper of the device framework.</summary>
    public static class Helper
    {
        /// <summary>As on the device (used by its runner only).</summary>
        public static void RemoveTestMethodIfDataRowExists(object[] attributes)
        {
        }
    }
}
