using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ProxySql.Generator.Model;

namespace ProxySql.Generator.Parser;

/// <summary>Turns one <c>[ProxySqlDatabases]</c> class into a <see cref="DatabasesModel"/> and its C# diagnostics.</summary>
internal static class DatabasesParser
{
    // The modifiers a peer may carry, repeated on its implementation; 'unsafe' only where the project allows unsafe code.
    // Any other (override, sealed, required, readonly, extern, file, ...) is already an error or makes no sense on a
    // peer, and repeating it would put a second error in generated code.
    private static readonly HashSet<SyntaxKind> PeerModifiers =
    [
        SyntaxKind.PublicKeyword, SyntaxKind.PrivateKeyword, SyntaxKind.ProtectedKeyword, SyntaxKind.InternalKeyword,
        SyntaxKind.NewKeyword, SyntaxKind.VirtualKeyword, SyntaxKind.UnsafeKeyword, SyntaxKind.PartialKeyword,
    ];

    public const string DatabasesAttributeName = "ProxySql.ProxySqlDatabasesAttribute";
    private const string PeerAttributeName = "ProxySql.PeerAttribute";
    private const string PeerTypeName = "ProxySql.ProxySqlPeer";
    private const string BaseTypeName = "ProxySql.ProxySqlDatabases";

    /// <summary>Members the emitter declares besides the peers' implementations.</summary>
    private static readonly string[] GeneratedMemberNames = { "Create", "PeerNames", "ConfigurationSectionName" };

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        try
        {
            return ParseCore(context, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // A generator must not throw: report PSQL999 on the class instead of AD0001/CS8785.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var location = context.TargetNode is BaseTypeDeclarationSyntax type ? type.Identifier.GetLocation() : context.TargetNode.GetLocation();
            var diagnostic = Diagnostics.Create(DiagnosticDescriptors.InternalError, location, context.TargetSymbol.Name, e.GetType().Name + ": " + e.Message);
            return new ParseResult(null, new[] { diagnostic }.ToEquatableArray());
        }
    }

    private static ParseResult ParseCore(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return ParseResult.Nothing;
        }

        // The runtime types live beside the attribute: an assembly lookup is far cheaper than a compilation-wide one.
        var attribute = context.Attributes.Length == 1 ? context.Attributes[0] : null;
        var runtime = attribute?.AttributeClass?.ContainingAssembly;
        var peerType = runtime?.GetTypeByMetadataName(PeerTypeName);
        var baseType = runtime?.GetTypeByMetadataName(BaseTypeName);

        // Broken or duplicated attributes and a missing runtime are compiler errors already: add nothing to them.
        if (peerType is null
            || baseType is null
            || attribute?.AttributeConstructor is null
            || type.GetAttributes().Count(a => a.AttributeClass?.ToDisplayString() == DatabasesAttributeName) != 1
            || HasErrors(attribute)
            || HasSyntaxErrors(type, cancellationToken)
            || HasBrokenPeerDeclarations(type))
        {
            return ParseResult.Nothing;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var identifier = declaration.Identifier.GetLocation();
        var displayName = type.Name;

        var shapeProblem = ShapeProblem(declaration, type);
        if (shapeProblem is not null)
        {
            diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.TypeMustBePartialClass, identifier, displayName, shapeProblem));
        }

        if (type.IsGenericType || ContainingTypes(type).Any(t => t.IsGenericType))
        {
            diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.TypeMustNotBeGeneric, identifier, displayName));
        }

        var containing = new List<ContainingTypeModel>();
        foreach (var outer in ContainingTypes(type))
        {
            var keyword = PartialKeyword(outer, cancellationToken);
            if (keyword is null)
            {
                diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.ContainingTypeMustBePartial, identifier, displayName, outer.Name));
            }
            else
            {
                containing.Insert(0, new ContainingTypeModel(keyword, EscapedName(outer.Name)));
            }
        }

        if (type.BaseType is { SpecialType: not SpecialType.System_Object } declaredBase
            && !SymbolEqualityComparer.Default.Equals(declaredBase, baseType))
        {
            diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.BaseClassNotAllowed, BaseTypeLocation(type, declaredBase, cancellationToken) ?? identifier, displayName, declaredBase.ToDisplayString()));
        }

        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var sectionName = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;
        var sectionProblem = ConfigurationKeys.SectionNameProblem(sectionName);
        if (sectionProblem is not null)
        {
            diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.InvalidConfigurationKey, ArgumentLocation(attributeSyntax, null, 0) ?? identifier, "Section name", sectionName ?? "null", sectionProblem));
        }

        ReportReservedMembers(type, displayName, diagnostics);
        var defaults = ReadDefaults(attribute, attributeSyntax, identifier, diagnostics);
        var allowUnsafe = context.SemanticModel.Compilation.Options is CSharpCompilationOptions { AllowUnsafe: true };
        var peers = ReadPeers(type, peerType, displayName, allowUnsafe, diagnostics, out var spreadAcrossFiles, cancellationToken);
        if (peers.Count == 0 && !diagnostics.Any(d => d.Id == DiagnosticDescriptors.InvalidPeerMember.Id || d.Id == DiagnosticDescriptors.ReservedMemberName.Id))
        {
            diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.NoPeers, identifier, displayName));
        }
        else if (peers.Count > ConfigurationKeys.MaxPeers)
        {
            diagnostics.Add(Diagnostics.Create(
                DiagnosticDescriptors.TooManyPeers,
                identifier,
                displayName,
                peers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ConfigurationKeys.MaxPeers.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (diagnostics.Count > 0)
        {
            if (spreadAcrossFiles is not null)
            {
                diagnostics.Add(spreadAcrossFiles);
            }

            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        var fullyQualifiedName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } containingNamespace
            ? containingNamespace.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Substring("global::".Length)
            : string.Empty;
        var hintName = fullyQualifiedName.Substring("global::".Length).Replace("@", string.Empty) + ".g.cs";
        var model = new DatabasesModel(
            ns,
            EscapedName(declaration.Identifier.ValueText),
            displayName,
            fullyQualifiedName,
            hintName,
            containing.ToEquatableArray(),
            sectionName!,
            defaults,
            peers.ToEquatableArray());

        // Peers in several files are reported but still generated (in the defined order), so suppressing PSQL020 accepts that order.
        return new ParseResult(model, spreadAcrossFiles is null ? EquatableArray<DiagnosticInfo>.Empty : new[] { spreadAcrossFiles }.ToEquatableArray());
    }

    /// <summary>Members of the user's that would collide with the generated Create, PeerNames or ConfigurationSectionName.</summary>
    private static void ReportReservedMembers(INamedTypeSymbol type, string displayName, List<DiagnosticInfo> diagnostics)
    {
        foreach (var name in GeneratedMemberNames)
        {
            foreach (var member in type.GetMembers(name))
            {
                // A user's own Create overload is fine unless it takes the generated one's first parameter; any other
                // member named Create (a property, a peer, a field) cannot sit beside the generated methods.
                var collides = name != "Create"
                    || member is not IMethodSymbol method
                    || (method.Parameters.Length > 0
                        && method.Parameters[0].Type.ToDisplayString() == "Microsoft.Extensions.Configuration.IConfiguration");
                if (collides)
                {
                    diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.ReservedMemberName, member.Locations.FirstOrDefault(), displayName, member.Name));
                }
            }
        }
    }

    private static bool HasErrors(AttributeData attribute) =>
        attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)
        || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error);

    /// <summary>A [Peer] attribute or a partial property type that does not bind is a compiler error already.</summary>
    private static bool HasBrokenPeerDeclarations(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IPropertySymbol>().Any(p =>
            (p.IsPartialDefinition && p.Type.TypeKind == TypeKind.Error)
            || p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == PeerAttributeName && HasErrors(a)))

        // Two properties of one name (CS0102) would each get an implementation: the compiler's error is enough.
        || type.GetMembers().OfType<IPropertySymbol>()
            .Where(p => !p.IsIndexer && p.PartialDefinitionPart is null)
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .Any(g => g.Count() > 1);

    /// <summary>A half-typed declaration (e.g. a peer cut to a field) is the compiler's to report; generate nothing for it.</summary>
    private static bool HasSyntaxErrors(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            if (syntax.ContainsDiagnostics && syntax.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return true;
            }

            // A broken enclosing namespace name (e.g. "namespace Shop.;") would be emitted as is and fail to compile.
            foreach (var enclosing in syntax.Ancestors().OfType<BaseNamespaceDeclarationSyntax>())
            {
                if (enclosing.Name.ContainsDiagnostics && enclosing.Name.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string? ShapeProblem(TypeDeclarationSyntax declaration, INamedTypeSymbol type)
    {
        if (declaration is RecordDeclarationSyntax)
        {
            return "a record";
        }

        if (declaration is not ClassDeclarationSyntax)
        {
            return "not a class";
        }

        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return "not partial";
        }

        if (type.IsStatic)
        {
            return "static";
        }

        if (type.IsAbstract)
        {
            return "abstract";
        }

        if (type.IsFileLocal)
        {
            return "file-local (the generated part lives in another file)";
        }

        // "private class" in a namespace is the compiler's error already; the generated part, which names the type in
        // its public interface, would fail to see it.
        if (type.ContainingType is null && type.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal))
        {
            return "declared with an accessibility a namespace member cannot have (use public or internal)";
        }

        // The generated part declares these members, and a member cannot share its class's name.
        return Array.IndexOf(GeneratedMemberNames, type.Name) >= 0 ? $"named '{type.Name}', a member the generator declares in it" : null;
    }

    private static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
    {
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            yield return outer;
        }
    }

    /// <summary>The keyword that re-declares <paramref name="type"/>, or <see langword="null"/> when it is not partial everywhere.</summary>
    private static string? PartialKeyword(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        string? keyword = null;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax syntax || !syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return null;
            }

            keyword = syntax switch
            {
                RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
                RecordDeclarationSyntax => "record",
                StructDeclarationSyntax => "struct",
                InterfaceDeclarationSyntax => "interface",
                _ => "class",
            };
        }

        return keyword;
    }

    private static Location? BaseTypeLocation(INamedTypeSymbol type, INamedTypeSymbol declaredBase, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax { BaseList: { } baseList })
            {
                foreach (var baseSyntax in baseList.Types)
                {
                    var name = baseSyntax.Type switch
                    {
                        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
                        SimpleNameSyntax simple => simple.Identifier.ValueText,
                        _ => null,
                    };
                    if (name == declaredBase.Name)
                    {
                        return baseSyntax.GetLocation();
                    }
                }
            }
        }

        return null;
    }

    /// <summary>The expression of a named argument, or of the positional argument at <paramref name="position"/>.</summary>
    private static Location? ArgumentLocation(AttributeSyntax? attribute, string? name, int position)
    {
        if (attribute?.ArgumentList is null)
        {
            return null;
        }

        var index = 0;
        foreach (var argument in attribute.ArgumentList.Arguments)
        {
            if (argument.NameEquals is { } nameEquals)
            {
                if (name is not null && nameEquals.Name.Identifier.ValueText == name)
                {
                    return argument.Expression.GetLocation();
                }

                continue;
            }

            if (argument.NameColon is { } nameColon)
            {
                if (name is null && position == 0 && index == 0)
                {
                    return argument.Expression.GetLocation();
                }

                continue;
            }

            if (name is null && index == position)
            {
                return argument.Expression.GetLocation();
            }

            index++;
        }

        return null;
    }

    private static DefaultsModel ReadDefaults(AttributeData attribute, AttributeSyntax? syntax, Location fallback, List<DiagnosticInfo> diagnostics)
    {
        var intervals = new long?[ConfigurationKeys.Intervals.Length];
        string? strategy = null;
        long? slowStartWindow = null;
        string? probeQuery = null;
        int? maxHedgedAttempts = null;
        bool? shutdownSessions = null;
        foreach (var argument in attribute.NamedArguments)
        {
            var location = ArgumentLocation(syntax, argument.Key, -1) ?? fallback;
            var index = Array.IndexOf(ConfigurationKeys.Intervals, argument.Key);
            if (index >= 0)
            {
                var text = argument.Value.Value as string;
                if (text is null)
                {
                    continue;
                }

                if (IntervalText.TryParsePositive(text, out var ticks))
                {
                    intervals[index] = ticks;
                }
                else
                {
                    diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.InvalidInterval, location, argument.Key, text));
                }
            }
            else if (argument.Key == ConfigurationKeys.SlowStartWindow && argument.Value.Value is string window)
            {
                if (IntervalText.TryParse(window, allowZero: true, out var ticks))
                {
                    slowStartWindow = ticks;
                }
                else
                {
                    diagnostics.Add(Diagnostics.Create(
                        DiagnosticDescriptors.InvalidSettingArgument,
                        location,
                        argument.Key,
                        "\"" + window + "\"",
                        "write \"0\" (off) or a positive TimeSpan of at most 24 days such as \"00:00:10\" or a number of seconds such as \"10\""));
                }
            }
            else if (argument.Key == ConfigurationKeys.MaxHedgedAttempts && argument.Value.Value is int attempts)
            {
                if (attempts < 0 || attempts > ConfigurationKeys.MaxHedgedAttemptsLimit)
                {
                    diagnostics.Add(Diagnostics.Create(
                        DiagnosticDescriptors.InvalidSettingArgument,
                        location,
                        argument.Key,
                        attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        "use a whole number from 0 (no hedging) to 63 (a balancer has at most 64 peers)"));
                }
                else
                {
                    maxHedgedAttempts = attempts;
                }
            }
            else if (argument.Key == ConfigurationKeys.ProbeQuery && argument.Value.Kind == TypedConstantKind.Primitive)
            {
                var query = argument.Value.Value as string;
                var problem = ConfigurationKeys.ProbeQueryProblem(query);
                if (problem is not null)
                {
                    diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.InvalidSettingArgument, location, argument.Key, query is null ? "null" : "\"" + query + "\"", problem));
                }
                else
                {
                    probeQuery = query!.Trim().TrimEnd(';').TrimEnd();
                }
            }
            else if (argument.Key == ConfigurationKeys.ShutdownSessionsOnMarkDown && argument.Value.Value is bool shutdown)
            {
                shutdownSessions = shutdown;
            }
            else if (argument.Key == ConfigurationKeys.Strategy && argument.Value.Type is INamedTypeSymbol enumType)
            {
                var members = enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).ToList();
                var member = members.FirstOrDefault(f => Equals(f.ConstantValue, argument.Value.Value));
                if (member is null)
                {
                    diagnostics.Add(Diagnostics.Create(
                        DiagnosticDescriptors.UnknownStrategy,
                        location,
                        Convert.ToString(argument.Value.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
                        string.Join(", ", members.Select(f => f.Name))));
                }
                else
                {
                    strategy = member.Name;
                }
            }
        }

        return new DefaultsModel(intervals[0], intervals[1], intervals[2], intervals[3], strategy, intervals[4], slowStartWindow, probeQuery, maxHedgedAttempts, shutdownSessions);
    }

    /// <summary>
    /// The peers in declaration order, defined as ordinal file path order, then position in the file: GetMembers()
    /// follows the compilation's file order, which build tools do not promise. Several files are reported as PSQL020.
    /// </summary>
    private static List<PeerModel> ReadPeers(INamedTypeSymbol type, INamedTypeSymbol peerType, string displayName, bool allowUnsafe, List<DiagnosticInfo> diagnostics, out DiagnosticInfo? spreadAcrossFiles, CancellationToken cancellationToken)
    {
        var peers = new List<PeerModel>();
        var keyOwners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var peerFiles = new List<string>();
        Location? firstInLaterFile = null;
        var properties = type.GetMembers().OfType<IPropertySymbol>()
            .OrderBy(p => p.Locations.FirstOrDefault()?.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(p => p.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0);
        foreach (var property in properties)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (property.PartialDefinitionPart is not null)
            {
                continue; // the implementation part of a partial property; its definition is checked
            }

            var peerAttribute = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == PeerAttributeName);
            var isPeerType = SymbolEqualityComparer.Default.Equals(property.Type, peerType);
            var syntax = property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as BasePropertyDeclarationSyntax;
            var location = property.Locations.FirstOrDefault();
            if (!isPeerType && peerAttribute is null)
            {
                continue; // not a peer
            }

            if (!property.IsPartialDefinition && peerAttribute is null && !IsAutoProperty(syntax))
            {
                continue; // a computed ProxySqlPeer property of the user's own, e.g. "Primary => Edge1"
            }

            if (Array.IndexOf(GeneratedMemberNames, property.Name) >= 0)
            {
                continue; // reported as PSQL018
            }

            var problem = PeerProblem(property, syntax, isPeerType, allowUnsafe);
            if (problem is not null)
            {
                diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.InvalidPeerMember, location, property.Name, problem));
                continue;
            }

            var key = property.Name;
            var keyLocation = location;
            var weight = 1;
            if (peerAttribute is not null)
            {
                var attributeSyntax = peerAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
                if (peerAttribute.ConstructorArguments.Length == 1)
                {
                    var explicitKey = peerAttribute.ConstructorArguments[0].Value as string;
                    keyLocation = ArgumentLocation(attributeSyntax, null, 0) ?? location;
                    var keyProblem = ConfigurationKeys.PeerKeyProblem(explicitKey);
                    if (keyProblem is not null)
                    {
                        diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.InvalidConfigurationKey, keyLocation, "Peer key", explicitKey ?? "null", keyProblem));
                        continue;
                    }

                    key = explicitKey!;
                }

                foreach (var named in peerAttribute.NamedArguments)
                {
                    if (named.Key == ConfigurationKeys.Weight && named.Value.Value is int value)
                    {
                        if (value < 0)
                        {
                            diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.NegativeWeight, ArgumentLocation(attributeSyntax, named.Key, -1) ?? location, value.ToString(System.Globalization.CultureInfo.InvariantCulture), property.Name));
                        }

                        weight = value;
                    }
                }
            }

            if (keyOwners.TryGetValue(key, out var owner))
            {
                diagnostics.Add(Diagnostics.Create(DiagnosticDescriptors.DuplicatePeerKey, keyLocation, owner, property.Name, key));
                continue;
            }

            keyOwners.Add(key, property.Name);
            var file = location?.SourceTree?.FilePath ?? string.Empty;
            if (!peerFiles.Contains(file))
            {
                peerFiles.Add(file);
                if (peerFiles.Count == 2)
                {
                    firstInLaterFile = location;
                }
            }

            // Only modifiers a property can carry are repeated on the implementation: one it cannot (e.g. file) is
            // already the compiler's error on the user's declaration, and must not become a second one in generated code.
            var modifiers = syntax is null
                ? "public"
                : string.Join(" ", syntax.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.Text));
            var identifier = syntax is PropertyDeclarationSyntax propertySyntax ? propertySyntax.Identifier.Text : EscapedName(property.Name);
            peers.Add(new PeerModel(property.Name, identifier, key, weight, modifiers, property.Type.NullableAnnotation == NullableAnnotation.Annotated));
        }

        spreadAcrossFiles = peerFiles.Count < 2
            ? null
            : Diagnostics.Create(
                DiagnosticDescriptors.PeersInSeveralFiles,
                firstInLaterFile,
                displayName,
                peerFiles.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                string.Join(", ", peerFiles.Select(AppSettingsReader.FileName)));
        return peers;
    }

    private static string? PeerProblem(IPropertySymbol property, BasePropertyDeclarationSyntax? syntax, bool isPeerType, bool allowUnsafe)
    {
        if (!isPeerType)
        {
            return $"is of type '{property.Type.ToDisplayString()}', not ProxySqlPeer";
        }

        if (!property.IsPartialDefinition)
        {
            return "is not partial";
        }

        if (property.PartialImplementationPart is not null)
        {
            return "already has an implementation (the generator writes it)";
        }

        if (property.IsStatic)
        {
            return "is static";
        }

        if (property.IsIndexer)
        {
            return "is an indexer";
        }

        // The compiler's own syntax error comes first; what the generator would repeat of it can only add a second one.
        if (syntax is not null && syntax.ContainsDiagnostics && syntax.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return "does not parse";
        }

        if (syntax is not null && ModifierProblem(syntax.Modifiers, allowUnsafe) is { } modifierProblem)
        {
            return modifierProblem;
        }

        // "EdProxySql.ge2": the implementation would declare a plain 'ge2', which has no definition to complete.
        if (syntax?.ExplicitInterfaceSpecifier is not null)
        {
            return "is an explicit interface implementation";
        }

        // The generated getter carries no accessor modifier, so "{ private get; }" would not match its declaration; nor
        // would "{ public get; }", which the compiler rejects on a public property but still keeps as the getter's own.
        if ((property.GetMethod is { } getter && getter.DeclaredAccessibility != property.DeclaredAccessibility)
            || syntax?.AccessorList?.Accessors.Any(a => a.Modifiers.Count > 0) == true)
        {
            return "has a getter with its own accessibility";
        }

        if (property.SetMethod is not null)
        {
            return property.SetMethod.IsInitOnly ? "has an init accessor" : "has a setter";
        }

        return property.GetMethod is null ? "has no getter" : null;
    }

    /// <summary>
    /// Why a peer's modifiers cannot be repeated on its implementation, or <see langword="null"/>: the parts of a partial
    /// member must carry the same ones, so a modifier the compiler rejects on the declaration would be rejected again in
    /// generated code.
    /// </summary>
    private static string? ModifierProblem(SyntaxTokenList modifiers, bool allowUnsafe)
    {
        // A repeated modifier is the parser's error, caught before this as "does not parse"; 'abstract' and 'extern'
        // (the generated implementation has a body) fall under the modifiers a peer cannot have.
        var accessibility = new List<SyntaxKind>();
        foreach (var modifier in modifiers)
        {
            var kind = modifier.Kind();
            if (!PeerModifiers.Contains(kind))
            {
                return $"has the modifier '{modifier.Text}', which a peer cannot have";
            }

            // Both parts of a partial member must be unsafe or neither, and an unsafe implementation does not compile
            // without AllowUnsafeBlocks (the compiler already says so on the declaration).
            if (kind == SyntaxKind.UnsafeKeyword && !allowUnsafe)
            {
                return "is unsafe in a project that does not allow unsafe code";
            }

            if (kind is SyntaxKind.PublicKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.ProtectedKeyword or SyntaxKind.InternalKeyword)
            {
                accessibility.Add(kind);
            }
        }

        var combined = accessibility.Count < 2
            || (accessibility.Count == 2 && accessibility.Contains(SyntaxKind.ProtectedKeyword)
                && (accessibility.Contains(SyntaxKind.InternalKeyword) || accessibility.Contains(SyntaxKind.PrivateKeyword)));
        return combined ? null : "has more than one accessibility modifier";
    }

    private static bool IsAutoProperty(BasePropertyDeclarationSyntax? syntax) =>
        syntax is PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors }
        && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null);

    // Contextual keywords too: a type named 'file' (already the compiler's error on the user's declaration) is only
    // written '@file' in generated code, where 'file' would start a modifier; '@' on any other name changes nothing.
    private static string EscapedName(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
