using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Terminal.Tests.NanoFramework
{
    /// <summary>One thing the nanoCLR cannot run: where it is (file:line) and what it is.</summary>
    public sealed record Violation(string File, int Line, string Member, string Reason)
    {
        public override string ToString() => $"{File}:{Line}: {Member} ({Reason})";
    }

    /// <summary>
    /// The portability referee. Compiles exactly the files a .nfproj compiles, with Roslyn, against
    /// .NET 10 and the desktop System.Device.Gpio / System.IO.Ports (with NANOFRAMEWORK_1_0 defined,
    /// as the nanoFramework build does), reads the result with System.Reflection.Metadata, and reports
    /// every framework type or member missing from the nanoFramework API lists of the packages the
    /// project references (doc-comment ID level), every generic instantiation (TypeSpec/MethodSpec),
    /// and every IL opcode the nanoCLR rejects.
    /// </summary>
    /// <remarks>
    /// Equivalences accepted, each a known lowering difference between the two targets (see
    /// Api/README.md): `lock` (Monitor.Enter(object, ref bool) on .NET), SerialPort.Dispose resolving
    /// to Component.Dispose, the delegate type of GpioPin.ValueChanged (events match by name), and
    /// string interpolation through DefaultInterpolatedStringHandler (String.Format on nanoFramework).
    /// Two assembly attributes Roslyn adds by itself only when the target corlib has them
    /// (CompilationRelaxations, RuntimeCompatibility) are not counted: the nanoFramework build,
    /// whose corlib lacks them, never emits them.
    /// </remarks>
    public static class PortabilityReferee
    {
        public const string NanoFrameworkSymbol = "NANOFRAMEWORK_1_0";

        /// <summary>The API lists (in NanoFramework/Api) that stand for each nanoFramework package.</summary>
        private static readonly Dictionary<string, string[]> ListsOfPackage = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["nanoFramework.CoreLibrary"] = new[] { "nf-corelib-api.signatures.txt" },
            ["nanoFramework.System.Device.Gpio"] = new[] { "portable-gpio.txt" },
            ["nanoFramework.System.IO.Ports"] = new[] { "portable-ports.txt" },
            ["nanoFramework.System.Device.Pwm"] = new[] { "portable-pwm.txt" },
            ["nanoFramework.System.Collections"] = new[] { "nf-nanoFramework.System.Collections-api.signatures.txt" },
            ["nanoFramework.System.Text"] = new[] { "nf-nanoFramework.System.Text-api.signatures.txt" },
            ["nanoFramework.System.IO.Streams"] = new[] { "nf-System.IO.Streams-api.signatures.txt" },
            ["nanoFramework.Runtime.Events"] = new[] { "nf-nanoFramework.Runtime.Events-api.signatures.txt" },
            ["nanoFramework.Runtime.Native"] = new[] { "nf-nanoFramework.Runtime.Native-api.signatures.txt" },
            ["nanoFramework.Hardware.Esp32"] = new[] { "nf-nanoFramework.Hardware.Esp32-api.signatures.txt" },
            ["nanoFramework.TestFramework"] = new[] { "nf-nanoFramework.TestFramework-api.signatures.txt" },
            // Referenced for later use (firmware update over the network); no list, so nothing of it may be used yet.
            ["nanoFramework.System.Net.Http"] = Array.Empty<string>(),
        };

        /// <summary>
        /// The packages' whole nanoFramework lists, allowed in nanoFramework-only files (those the .csproj
        /// removes from its build, such as Terminal/Esp32): that code never runs on .NET.
        /// </summary>
        private static readonly Dictionary<string, string[]> NanoFrameworkOnlyLists = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["nanoFramework.System.Device.Gpio"] = new[] { "nf-gpio-api.signatures.txt" },
            ["nanoFramework.System.IO.Ports"] = new[] { "nf-ports-api.signatures.txt" },
            ["nanoFramework.System.Device.Pwm"] = new[] { "nf-System.Device.Pwm-api.signatures.txt" },
        };

        /// <summary>Suffix of the stand-in types that carry nanoFramework-only members of a desktop type.</summary>
        private const string NanoFrameworkOnlySuffix = "__NanoFramework";

        /// <summary>
        /// nanoFramework assemblies with no desktop twin: the referee compiles a stand-in from source
        /// (its members are checked against the package's list like any other use).
        /// </summary>
        private static readonly Dictionary<string, string> StandInSources = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["nanoFramework.TestFramework"] = "Terminal.Tests/NanoFramework/TestFramework",
            ["nanoFramework.Hardware.Esp32"] = "Terminal.Tests/NanoFramework/Stubs/nanoFramework.Hardware.Esp32",
        };

        /// <summary>Opcodes the nanoCLR does not implement.</summary>
        private static readonly Dictionary<short, string> RejectedOpcodes = new Dictionary<short, string>
        {
            [OpCodes.Localloc.Value] = "localloc",
            [OpCodes.Calli.Value] = "calli",
            [OpCodes.Cpblk.Value] = "cpblk",
            [OpCodes.Initblk.Value] = "initblk",
            [OpCodes.Ckfinite.Value] = "ckfinite",
            [OpCodes.Jmp.Value] = "jmp",
            [OpCodes.Arglist.Value] = "arglist",
            [OpCodes.Mkrefany.Value] = "mkrefany",
            [OpCodes.Refanytype.Value] = "refanytype",
            [OpCodes.Refanyval.Value] = "refanyval",
            [OpCodes.Readonly.Value] = "readonly.",
        };

        private static readonly Dictionary<string, string> Equivalents = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["M:System.Threading.Monitor.Enter(System.Object,System.Boolean@)"] = "M:System.Threading.Monitor.Enter(System.Object)",
            ["M:System.ComponentModel.Component.Dispose"] = "M:System.IO.Ports.SerialPort.Dispose",
            ["T:System.ComponentModel.Component"] = "T:System.IO.Ports.SerialPort",
            // The same kind of difference: .NET declares Set/Reset on the EventWaitHandle base class, nanoFramework on
            // AutoResetEvent and ManualResetEvent themselves; the call is bound to whichever type declares it.
            ["M:System.Threading.EventWaitHandle.Set"] = "M:System.Threading.AutoResetEvent.Set",
            ["M:System.Threading.EventWaitHandle.Reset"] = "M:System.Threading.AutoResetEvent.Reset",
            ["T:System.Threading.EventWaitHandle"] = "T:System.Threading.AutoResetEvent",
        };

        private const string InterpolationHandler = "System.Runtime.CompilerServices.DefaultInterpolatedStringHandler";

        private static readonly HashSet<string> CompilerAddedAttributes = new HashSet<string>(StringComparer.Ordinal)
        {
            "T:System.Runtime.CompilerServices.CompilationRelaxationsAttribute",
            "M:System.Runtime.CompilerServices.CompilationRelaxationsAttribute.#ctor(System.Int32)",
            "T:System.Runtime.CompilerServices.RuntimeCompatibilityAttribute",
            "M:System.Runtime.CompilerServices.RuntimeCompatibilityAttribute.#ctor",
            // Annotations Roslyn synthesizes into the assembly itself when the corlib lacks them.
            "T:System.Runtime.CompilerServices.RefSafetyRulesAttribute",
            "M:System.Runtime.CompilerServices.RefSafetyRulesAttribute.#ctor(System.Int32)",
            "T:System.Runtime.CompilerServices.NullableAttribute",
            "M:System.Runtime.CompilerServices.NullableAttribute.#ctor(System.Byte)",
            "M:System.Runtime.CompilerServices.NullableAttribute.#ctor(System.Byte[])",
            "T:System.Runtime.CompilerServices.NullableContextAttribute",
            "M:System.Runtime.CompilerServices.NullableContextAttribute.#ctor(System.Byte)",
            // Marks closures and lambdas' display classes; absent from nanoFramework's corlib, so not emitted there.
            "T:System.Runtime.CompilerServices.CompilerGeneratedAttribute",
            "M:System.Runtime.CompilerServices.CompilerGeneratedAttribute.#ctor",
            "T:System.Runtime.CompilerServices.NullablePublicOnlyAttribute",
            "M:System.Runtime.CompilerServices.NullablePublicOnlyAttribute.#ctor(System.Boolean)",
        };

        /// <summary>Checks a .nfproj and the projects it references; returns every violation found.</summary>
        public static IReadOnlyList<Violation> CheckProject(string nfprojPath)
        {
            List<Violation> violations = new List<Violation>();
            Dictionary<string, MetadataReference> built = new Dictionary<string, MetadataReference>(StringComparer.Ordinal);
            NfProject target = NfProject.Load(nfprojPath);
            foreach (NfProject project in NfProject.InBuildOrder(target))
            {
                List<MetadataReference> references = ReferencesFor(project.Packages);
                references.AddRange(project.ProjectReferences.Select(p => built[NfProject.Load(p).AssemblyName]));
                List<SyntaxTree> trees = project.Sources.Select(Parse).ToList();
                MetadataReference? image = Check(project.AssemblyName, trees, references, AllowedIds(project.Packages), violations,
                    report: project.Path == target.Path, nanoFrameworkOnly: NanoFrameworkOnlyFiles(project));
                if (image == null)
                {
                    break; // the projects above it cannot be compiled; its errors are reported
                }
                built[project.AssemblyName] = image;
            }
            return violations;
        }

        /// <summary>Checks C# source given as text (the referee's own tests feed it code it must reject).</summary>
        public static IReadOnlyList<Violation> CheckSource(string fileName, string source, params string[] packages)
        {
            List<Violation> violations = new List<Violation>();
            SyntaxTree tree = CSharpSyntaxTree.ParseText(source, ParseOptions, fileName, System.Text.Encoding.UTF8);
            Check("Probe", new List<SyntaxTree> { tree }, ReferencesFor(packages), AllowedIds(packages), violations, report: true,
                nanoFrameworkOnly: (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal)));
            return violations;
        }

        /// <summary>The desktop framework, plus a stand-in for each referenced package that has no desktop twin.</summary>
        private static List<MetadataReference> ReferencesFor(IEnumerable<string> packages)
        {
            List<MetadataReference> references = FrameworkReferences();
            foreach (string package in packages)
            {
                if (StandInSources.TryGetValue(package, out string? dir) && Directory.Exists(Repository.PathOf(dir)))
                {
                    references.Add(StandIn(package, Repository.PathOf(dir)));
                }
            }
            return references;
        }

        private static readonly CSharpParseOptions ParseOptions =
            new CSharpParseOptions(LanguageVersion.Latest).WithPreprocessorSymbols(NanoFrameworkSymbol);

        private static SyntaxTree Parse(string path) =>
            CSharpSyntaxTree.ParseText(File.ReadAllText(path), ParseOptions, Repository.Relative(path), System.Text.Encoding.UTF8);

        /// <summary>The project's nanoFramework-only files (relative paths) and the extra members they may use.</summary>
        private static (HashSet<string> files, HashSet<string> extra) NanoFrameworkOnlyFiles(NfProject project)
        {
            HashSet<string> files = new HashSet<string>(StringComparer.Ordinal);
            IReadOnlyList<string> removed = project.NanoFrameworkOnlyFolders();
            foreach (string source in project.Sources.Where(f => removed.Any(r => f.StartsWith(r, StringComparison.Ordinal))))
            {
                files.Add(Repository.Relative(source));
            }
            HashSet<string> extra = new HashSet<string>(StringComparer.Ordinal);
            foreach (string package in project.Packages)
            {
                if (NanoFrameworkOnlyLists.TryGetValue(package, out string[]? lists))
                {
                    foreach (string list in lists)
                    {
                        extra.UnionWith(LoadList(list));
                    }
                }
            }
            return (files, extra);
        }

        private static MetadataReference? Check(string assemblyName, List<SyntaxTree> trees, List<MetadataReference> references,
            HashSet<string> allowed, List<Violation> violations, bool report, (HashSet<string> files, HashSet<string> extra) nanoFrameworkOnly)
        {
            CSharpCompilation compilation = CSharpCompilation.Create(assemblyName, trees, references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                    optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable,
                    allowUnsafe: false));
            using MemoryStream pe = new MemoryStream();
            using MemoryStream pdb = new MemoryStream();
            EmitResult result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
            if (!result.Success)
            {
                foreach (Diagnostic d in result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
                {
                    FileLinePositionSpan span = d.Location.GetLineSpan();
                    violations.Add(new Violation(span.Path, span.StartLinePosition.Line + 1, d.Id, "does not compile: " + d.GetMessage()));
                }
                return null;
            }
            if (report)
            {
                pe.Position = 0;
                pdb.Position = 0;
                new MetadataScan(pe.ToArray(), pdb.ToArray(), compilation, allowed, violations, OwnAssemblies(references), nanoFrameworkOnly).Run();
            }
            return MetadataReference.CreateFromImage(pe.ToArray(), filePath: OwnPrefix + assemblyName);
        }

        /// <summary>Names of the project assemblies among the references (compiled from this repository's .nfproj files).</summary>
        private static HashSet<string> OwnAssemblies(List<MetadataReference> references)
        {
            HashSet<string> names = new HashSet<string>(StringComparer.Ordinal);
            foreach (MetadataReference reference in references)
            {
                if (reference is PortableExecutableReference pe && pe.FilePath != null && pe.FilePath.StartsWith(OwnPrefix, StringComparison.Ordinal))
                {
                    names.Add(pe.FilePath.Substring(OwnPrefix.Length));
                }
            }
            return names;
        }

        private const string OwnPrefix = "project:";

        private static MetadataReference StandIn(string assemblyName, string directory)
        {
            List<SyntaxTree> trees = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), ParseOptions, p, System.Text.Encoding.UTF8)).ToList();
            CSharpCompilation compilation = CSharpCompilation.Create(assemblyName, trees, FrameworkReferences(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            using MemoryStream pe = new MemoryStream();
            EmitResult result = compilation.Emit(pe);
            if (!result.Success)
            {
                throw new InvalidOperationException("stand-in " + assemblyName + " does not compile: " +
                    string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            }
            return MetadataReference.CreateFromImage(pe.ToArray());
        }

        private static List<MetadataReference>? _framework;

        /// <summary>.NET 10 reference assemblies, plus the desktop System.Device.Gpio and System.IO.Ports.</summary>
        private static List<MetadataReference> FrameworkReferences()
        {
            if (_framework == null)
            {
                string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
                string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
                string refPacks = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
                string? refDir = Directory.Exists(refPacks)
                    ? Directory.EnumerateDirectories(refPacks).OrderByDescending(d => d, StringComparer.Ordinal)
                        .Select(d => Path.Combine(d, "ref", "net10.0")).FirstOrDefault(Directory.Exists)
                    : null;
                IEnumerable<string> framework = refDir != null
                    ? Directory.EnumerateFiles(refDir, "*.dll")
                    : ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                        .Where(p => Path.GetDirectoryName(p) == runtimeDir);
                List<MetadataReference> list = framework.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
                list.Add(MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "System.Device.Gpio.dll")));
                list.Add(MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "System.IO.Ports.dll")));
                _framework = list;
            }
            return new List<MetadataReference>(_framework);
        }

        private static readonly Dictionary<string, HashSet<string>> ListCache = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        private static HashSet<string> AllowedIds(IEnumerable<string> packages)
        {
            HashSet<string> allowed = new HashSet<string>(StringComparer.Ordinal);
            foreach (string package in packages)
            {
                if (!ListsOfPackage.TryGetValue(package, out string[]? lists))
                {
                    throw new InvalidOperationException("no API list is known for package " + package + "; add it to PortabilityReferee.ListsOfPackage");
                }
                foreach (string list in lists)
                {
                    allowed.UnionWith(LoadList(list));
                }
            }
            return allowed;
        }

        private static HashSet<string> LoadList(string name)
        {
            lock (ListCache)
            {
                if (!ListCache.TryGetValue(name, out HashSet<string>? ids))
                {
                    string path = Path.Combine(AppContext.BaseDirectory, "NanoFramework", "Api", name);
                    ids = new HashSet<string>(File.ReadLines(path)
                        .Where(l => l.Length > 2 && l[1] == ':' && !l.StartsWith("#", StringComparison.Ordinal))
                        .Select(l => l.Split(' ', '\t')[0]), StringComparer.Ordinal);
                    ListCache[name] = ids;
                }
                return ids;
            }
        }

        /// <summary>One pass over a compiled assembly: IL bodies first (precise lines), then signatures and tables.</summary>
        private sealed class MetadataScan
        {
            private readonly MetadataReader _md;
            private readonly MetadataReader _pdb;
            private readonly CSharpCompilation _compilation;
            private readonly HashSet<string> _allowed;
            private readonly List<Violation> _violations;
            private readonly HashSet<string> _reported = new HashSet<string>(StringComparer.Ordinal);
            private readonly DocIdProvider _ids;
            private readonly PEReader _peReader;
            private readonly MetadataReaderProvider _pdbProvider;

            private readonly HashSet<string> _own;

            private readonly (HashSet<string> files, HashSet<string> extra) _nanoFrameworkOnly;

            public MetadataScan(byte[] pe, byte[] pdb, CSharpCompilation compilation, HashSet<string> allowed, List<Violation> violations, HashSet<string> own,
                (HashSet<string> files, HashSet<string> extra) nanoFrameworkOnly)
            {
                _own = own;
                _nanoFrameworkOnly = nanoFrameworkOnly;
                _peReader = new PEReader(ImmutableArray.Create(pe));
                _md = _peReader.GetMetadataReader();
                _pdbProvider = MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(pdb));
                _pdb = _pdbProvider.GetMetadataReader();
                _compilation = compilation;
                _allowed = allowed;
                _violations = violations;
                _ids = new DocIdProvider(_md);
            }

            public void Run()
            {
                foreach (TypeDefinitionHandle th in _md.TypeDefinitions)
                {
                    TypeDefinition type = _md.GetTypeDefinition(th);
                    (string file, int line) where = TypeLocation(th);
                    CheckSignatureEntity(type.BaseType, where);
                    foreach (InterfaceImplementationHandle ih in type.GetInterfaceImplementations())
                    {
                        CheckSignatureEntity(_md.GetInterfaceImplementation(ih).Interface, where);
                    }
                    foreach (FieldDefinitionHandle fh in type.GetFields())
                    {
                        FieldDefinition field = _md.GetFieldDefinition(fh);
                        _ids.Reset();
                        field.DecodeSignature(_ids, null);
                        Flush(where, "field " + _md.GetString(field.Name));
                    }
                    foreach (MethodDefinitionHandle mh in type.GetMethods())
                    {
                        CheckMethod(mh, where);
                    }
                }
                foreach (CustomAttributeHandle ah in _md.CustomAttributes)
                {
                    CustomAttribute attribute = _md.GetCustomAttribute(ah);
                    CheckEntity(attribute.Constructor, AttributeLocation(attribute.Parent));
                }
                // Catch-all: any reference left in the tables (none should be, but nothing escapes).
                foreach (MemberReferenceHandle mr in _md.MemberReferences)
                {
                    CheckEntity(mr, ("(metadata)", 0));
                }
                foreach (TypeReferenceHandle tr in _md.TypeReferences)
                {
                    CheckEntity(tr, ("(metadata)", 0));
                }
            }

            private void CheckMethod(MethodDefinitionHandle mh, (string file, int line) typeWhere)
            {
                MethodDefinition method = _md.GetMethodDefinition(mh);
                SequencePointCollection? points = null;
                MethodDebugInformation debug = _pdb.GetMethodDebugInformation(mh.ToDebugInformationHandle());
                if (!debug.SequencePointsBlob.IsNil)
                {
                    points = debug.GetSequencePoints();
                }
                (string file, int line) where = FirstPoint(points) ?? typeWhere;
                _ids.Reset();
                method.DecodeSignature(_ids, null);
                Flush(where, "signature of " + _md.GetString(method.Name));
                if (method.RelativeVirtualAddress == 0)
                {
                    return;
                }
                MethodBodyBlock body = _peReader.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil)
                {
                    _ids.Reset();
                    _md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_ids, null);
                    Flush(where, "locals of " + _md.GetString(method.Name));
                }
                BlobReader il = body.GetILReader();
                while (il.RemainingBytes > 0)
                {
                    int offset = il.Offset;
                    short value = il.ReadByte();
                    if (value == 0xFE)
                    {
                        value = unchecked((short)(0xFE00 | il.ReadByte()));
                    }
                    (string file, int line) at = PointAt(points, offset) ?? where;
                    if (RejectedOpcodes.TryGetValue(value, out string? name))
                    {
                        Report(at, "IL " + name, "opcode rejected by the nanoCLR");
                    }
                    if (!OperandTypes.TryGetValue(value, out OperandType operand))
                    {
                        Report(at, $"IL 0x{value:X4}", "unknown opcode");
                        return;
                    }
                    switch (operand)
                    {
                        case OperandType.InlineNone:
                            break;
                        case OperandType.ShortInlineBrTarget:
                        case OperandType.ShortInlineI:
                        case OperandType.ShortInlineVar:
                            il.ReadByte();
                            break;
                        case OperandType.InlineVar:
                            il.ReadUInt16();
                            break;
                        case OperandType.InlineI8:
                        case OperandType.InlineR:
                            il.ReadInt64();
                            break;
                        case OperandType.InlineSwitch:
                            int count = il.ReadInt32();
                            il.Offset += 4 * count;
                            break;
                        case OperandType.InlineMethod:
                        case OperandType.InlineField:
                        case OperandType.InlineType:
                        case OperandType.InlineTok:
                        case OperandType.InlineSig:
                            int token = il.ReadInt32();
                            if (operand == OperandType.InlineSig)
                            {
                                break;
                            }
                            CheckEntity(MetadataTokens.EntityHandle(token), at);
                            break;
                        default:
                            il.ReadInt32();
                            break;
                    }
                }
            }

            private void CheckSignatureEntity(EntityHandle handle, (string file, int line) where)
            {
                if (handle.IsNil)
                {
                    return;
                }
                CheckEntity(handle, where);
            }

            /// <summary>Checks a type or member used by the assembly.</summary>
            private void CheckEntity(EntityHandle handle, (string file, int line) where)
            {
                switch (handle.Kind)
                {
                    case HandleKind.TypeReference:
                        if (!IsOwn((TypeReferenceHandle)handle))
                        {
                            CheckId(_ids.TypeReferenceId((TypeReferenceHandle)handle), where);
                        }
                        break;
                    case HandleKind.TypeSpecification:
                        _ids.Reset();
                        string spec = _md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_ids, null);
                        Flush(where, spec);
                        break;
                    case HandleKind.MethodSpecification:
                        MethodSpecification ms = _md.GetMethodSpecification((MethodSpecificationHandle)handle);
                        string generic = MemberName(ms.Method);
                        if (!generic.Contains(InterpolationHandler, StringComparison.Ordinal))
                        {
                            Report(where, generic, "generic method instantiation");
                        }
                        break;
                    case HandleKind.MemberReference:
                        CheckMemberReference((MemberReferenceHandle)handle, where);
                        break;
                }
            }

            private string MemberName(EntityHandle handle) => handle.Kind switch
            {
                HandleKind.MemberReference => _ids.MemberReferenceId((MemberReferenceHandle)handle, out _),
                HandleKind.MethodDefinition => "M:" + _md.GetString(_md.GetMethodDefinition((MethodDefinitionHandle)handle).Name),
                _ => handle.Kind.ToString(),
            };

            private void CheckMemberReference(MemberReferenceHandle handle, (string file, int line) where)
            {
                MemberReference member = _md.GetMemberReference(handle);
                if (member.Parent.Kind == HandleKind.TypeSpecification)
                {
                    CheckEntity(member.Parent, where);
                    return;
                }
                if (member.Parent.Kind != HandleKind.TypeReference || IsOwn((TypeReferenceHandle)member.Parent))
                {
                    return; // our own code, checked when its project is
                }
                CheckId(_ids.TypeReferenceId((TypeReferenceHandle)member.Parent), where);
                string id = _ids.MemberReferenceId(handle, out string signatureProblems);
                if (signatureProblems.Length > 0)
                {
                    Report(where, id, signatureProblems);
                }
                CheckId(id, where);
            }

            private readonly HashSet<string> _checkedWhereUsed = new HashSet<string>(StringComparer.Ordinal);

            private void CheckId(string id, (string file, int line) where)
            {
                if (where.file == "(metadata)" && _checkedWhereUsed.Contains(id))
                {
                    return; // judged where it is used (that file's rules apply)
                }
                _checkedWhereUsed.Add(id);
                bool nanoFrameworkOnlyFile = _nanoFrameworkOnly.files.Contains(where.file);
                if (nanoFrameworkOnlyFile)
                {
                    id = id.Replace(NanoFrameworkOnlySuffix, "", StringComparison.Ordinal);
                    if (_nanoFrameworkOnly.extra.Contains(id))
                    {
                        return;
                    }
                }
                if (id.Length == 0 || _allowed.Contains(id) || CompilerAddedAttributes.Contains(id))
                {
                    return;
                }
                if (Equivalents.TryGetValue(id, out string? equivalent) && _allowed.Contains(equivalent))
                {
                    return;
                }
                if (id.Contains(InterpolationHandler, StringComparison.Ordinal) && _allowed.Contains("M:System.String.Format(System.String,System.Object[])"))
                {
                    return;
                }
                // Event accessors: the two worlds' event delegate types differ, events match by name.
                int accessor = Math.Max(id.IndexOf(".add_", StringComparison.Ordinal), id.IndexOf(".remove_", StringComparison.Ordinal));
                if (id.StartsWith("M:", StringComparison.Ordinal) && accessor > 0)
                {
                    string eventName = id.Substring(accessor + 1);
                    eventName = eventName.Substring(eventName.IndexOf('_') + 1);
                    int paren = eventName.IndexOf('(');
                    if (paren > 0)
                    {
                        eventName = eventName.Substring(0, paren);
                    }
                    if (_allowed.Contains("E:" + id.Substring(2, accessor - 2) + "." + eventName))
                    {
                        return;
                    }
                }
                Report(where, id, "not in the nanoFramework API lists of this project's packages");
            }

            private void Flush((string file, int line) where, string context)
            {
                foreach (string problem in _ids.Problems)
                {
                    Report(where, context, problem);
                }
                foreach (TypeReferenceHandle tr in _ids.TypesSeen)
                {
                    if (!IsOwn(tr))
                    {
                        CheckId(_ids.TypeReferenceId(tr), where);
                    }
                }
                _ids.Reset();
            }

            /// <summary>True for a type of one of this repository's portable assemblies.</summary>
            private bool IsOwn(TypeReferenceHandle handle)
            {
                EntityHandle scope = _md.GetTypeReference(handle).ResolutionScope;
                while (scope.Kind == HandleKind.TypeReference)
                {
                    scope = _md.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
                }
                return scope.Kind == HandleKind.AssemblyReference
                    && _own.Contains(_md.GetString(_md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name));
            }

            private readonly HashSet<string> _reportedMembers = new HashSet<string>(StringComparer.Ordinal);

            private void Report((string file, int line) where, string member, string reason)
            {
                if (where.file == "(metadata)" && _reportedMembers.Contains(member))
                {
                    return; // already reported where it is used
                }
                _reportedMembers.Add(member);
                if (_reported.Add(where.file + "|" + member + "|" + reason))
                {
                    _violations.Add(new Violation(where.file, where.line, member, reason));
                }
            }

            private (string, int)? FirstPoint(SequencePointCollection? points)
            {
                if (points == null)
                {
                    return null;
                }
                foreach (SequencePoint p in points)
                {
                    if (!p.IsHidden)
                    {
                        return (DocumentName(p.Document), p.StartLine);
                    }
                }
                return null;
            }

            private (string, int)? PointAt(SequencePointCollection? points, int offset)
            {
                if (points == null)
                {
                    return null;
                }
                (string, int)? best = null;
                foreach (SequencePoint p in points)
                {
                    if (p.Offset > offset)
                    {
                        break;
                    }
                    if (!p.IsHidden)
                    {
                        best = (DocumentName(p.Document), p.StartLine);
                    }
                }
                return best;
            }

            private string DocumentName(DocumentHandle document) => _pdb.GetString(_pdb.GetDocument(document).Name);

            private (string, int) TypeLocation(TypeDefinitionHandle th)
            {
                TypeDefinition type = _md.GetTypeDefinition(th);
                string metadataName = type.GetDeclaringType().IsNil
                    ? _ids.TypeDefinitionName(th)
                    : MetadataNameOf(th);
                INamedTypeSymbol? symbol = _compilation.GetTypeByMetadataName(metadataName);
                Location? location = symbol?.Locations.FirstOrDefault(l => l.IsInSource);
                if (location != null)
                {
                    FileLinePositionSpan span = location.GetLineSpan();
                    return (span.Path, span.StartLinePosition.Line + 1);
                }
                if (!type.GetDeclaringType().IsNil)
                {
                    return TypeLocation(type.GetDeclaringType()); // a closure, lambda or state machine: where its parent is
                }
                return ("(compiler-generated " + _ids.TypeDefinitionName(th) + ")", 0);
            }

            private string MetadataNameOf(TypeDefinitionHandle th)
            {
                TypeDefinition type = _md.GetTypeDefinition(th);
                TypeDefinitionHandle outer = type.GetDeclaringType();
                string own = _md.GetString(type.Name);
                return outer.IsNil ? _ids.TypeDefinitionName(th) : MetadataNameOf(outer) + "+" + own;
            }

            private (string, int) AttributeLocation(EntityHandle parent)
            {
                switch (parent.Kind)
                {
                    case HandleKind.TypeDefinition:
                        return TypeLocation((TypeDefinitionHandle)parent);
                    case HandleKind.MethodDefinition:
                        MethodDefinitionHandle mh = (MethodDefinitionHandle)parent;
                        MethodDebugInformation debug = _pdb.GetMethodDebugInformation(mh.ToDebugInformationHandle());
                        return FirstPoint(debug.SequencePointsBlob.IsNil ? null : debug.GetSequencePoints())
                            ?? TypeLocation(_md.GetMethodDefinition(mh).GetDeclaringType());
                    case HandleKind.FieldDefinition:
                        return TypeLocation(_md.GetFieldDefinition((FieldDefinitionHandle)parent).GetDeclaringType());
                    default:
                        return ("(assembly attributes)", 0);
                }
            }
        }

        private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value, o => o.OperandType);

        /// <summary>Builds doc-comment IDs from metadata, collecting the framework types and the problems a signature shows.</summary>
        private sealed class DocIdProvider : ISignatureTypeProvider<string, object?>
        {
            private readonly MetadataReader _md;

            public DocIdProvider(MetadataReader md)
            {
                _md = md;
            }

            public List<string> Problems { get; } = new List<string>();

            public List<TypeReferenceHandle> TypesSeen { get; } = new List<TypeReferenceHandle>();

            public void Reset()
            {
                Problems.Clear();
                TypesSeen.Clear();
            }

            public string TypeReferenceId(TypeReferenceHandle handle) => "T:" + TypeReferenceName(handle);

            public string TypeReferenceName(TypeReferenceHandle handle)
            {
                TypeReference tr = _md.GetTypeReference(handle);
                string name = _md.GetString(tr.Name);
                if (tr.ResolutionScope.Kind == HandleKind.TypeReference)
                {
                    return TypeReferenceName((TypeReferenceHandle)tr.ResolutionScope) + "." + name;
                }
                string ns = _md.GetString(tr.Namespace);
                return ns.Length == 0 ? name : ns + "." + name;
            }

            public string TypeDefinitionName(TypeDefinitionHandle handle)
            {
                TypeDefinition td = _md.GetTypeDefinition(handle);
                string name = _md.GetString(td.Name);
                if (!td.GetDeclaringType().IsNil)
                {
                    return TypeDefinitionName(td.GetDeclaringType()) + "." + name;
                }
                string ns = _md.GetString(td.Namespace);
                return ns.Length == 0 ? name : ns + "." + name;
            }

            public string MemberReferenceId(MemberReferenceHandle handle, out string problems)
            {
                MemberReference member = _md.GetMemberReference(handle);
                string parent = member.Parent.Kind == HandleKind.TypeReference
                    ? TypeReferenceName((TypeReferenceHandle)member.Parent)
                    : member.Parent.Kind.ToString();
                string name = _md.GetString(member.Name).Replace('.', '#');
                List<string> saved = new List<string>(Problems);
                List<TypeReferenceHandle> savedTypes = new List<TypeReferenceHandle>(TypesSeen);
                Reset();
                string id;
                if (member.GetKind() == MemberReferenceKind.Field)
                {
                    member.DecodeFieldSignature(this, null);
                    id = "F:" + parent + "." + name;
                }
                else
                {
                    MethodSignature<string> signature = member.DecodeMethodSignature(this, null);
                    string generic = signature.GenericParameterCount > 0 ? "``" + signature.GenericParameterCount : "";
                    string parameters = signature.ParameterTypes.Length == 0 ? "" : "(" + string.Join(",", signature.ParameterTypes) + ")";
                    string conversion = name == "op_Implicit" || name == "op_Explicit" ? "~" + signature.ReturnType : "";
                    id = "M:" + parent + "." + name + generic + parameters + conversion;
                }
                problems = string.Join("; ", Problems.Distinct());
                Problems.Clear();
                Problems.AddRange(saved);
                TypesSeen.AddRange(savedTypes);
                return id;
            }

            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
            {
                PrimitiveTypeCode.Boolean => "System.Boolean",
                PrimitiveTypeCode.Byte => "System.Byte",
                PrimitiveTypeCode.SByte => "System.SByte",
                PrimitiveTypeCode.Char => "System.Char",
                PrimitiveTypeCode.Int16 => "System.Int16",
                PrimitiveTypeCode.UInt16 => "System.UInt16",
                PrimitiveTypeCode.Int32 => "System.Int32",
                PrimitiveTypeCode.UInt32 => "System.UInt32",
                PrimitiveTypeCode.Int64 => "System.Int64",
                PrimitiveTypeCode.UInt64 => "System.UInt64",
                PrimitiveTypeCode.Single => "System.Single",
                PrimitiveTypeCode.Double => "System.Double",
                PrimitiveTypeCode.IntPtr => "System.IntPtr",
                PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
                PrimitiveTypeCode.Object => "System.Object",
                PrimitiveTypeCode.String => "System.String",
                PrimitiveTypeCode.TypedReference => Problem("System.TypedReference", "TypedReference"),
                PrimitiveTypeCode.Void => "System.Void",
                _ => typeCode.ToString(),
            };

            private string Problem(string result, string problem)
            {
                Problems.Add(problem);
                return result;
            }

            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            {
                TypesSeen.Add(handle);
                return TypeReferenceName(handle);
            }

            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => TypeDefinitionName(handle);

            public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
                reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

            public string GetSZArrayType(string elementType) => elementType + "[]";

            public string GetArrayType(string elementType, ArrayShape shape) => Problem(elementType + "[" + new string(',', shape.Rank - 1) + "]", "multidimensional array");

            public string GetByReferenceType(string elementType) => elementType + "@";

            public string GetPointerType(string elementType) => Problem(elementType + "*", "pointer type");

            public string GetPinnedType(string elementType) => Problem(elementType, "pinned local (fixed)");

            public string GetFunctionPointerType(MethodSignature<string> signature) => Problem("method*", "function pointer");

            public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
            {
                string instantiation = genericType + "{" + string.Join(",", typeArguments) + "}";
                if (!genericType.StartsWith(InterpolationHandler, StringComparison.Ordinal))
                {
                    Problems.Add("generic instantiation " + instantiation);
                }
                return instantiation;
            }

            public string GetGenericMethodParameter(object? genericContext, int index) => "``" + index;

            public string GetGenericTypeParameter(object? genericContext, int index) => "`" + index;

            public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired)
            {
                // The modifier's type is checked like any other type; volatile fields are not portable.
                if (isRequired && modifier.EndsWith("IsVolatile", StringComparison.Ordinal))
                {
                    Problems.Add("volatile field");
                }
                return unmodifiedType;
            }
        }
    }
}
