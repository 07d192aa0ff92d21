/*
 * Kingsnake's Python lexer: Python 3.0-3.13 plus the Python 2 forms old malware still uses.
 *
 * The input is already decoded and its line endings are normalised to '\n' (as CPython does).
 * Comments, blanks and backslash line joins are skipped; every physical newline becomes a NEWLINE
 * token. LogicalLines (Java) then drops newlines inside brackets and blank lines and adds
 * INDENT/DEDENT, so this grammar stays context-free and fast.
 */
lexer grammar PyLexer;

tokens { INDENT, DEDENT }

// Hard keywords.
FALSE    : 'False';
NONE     : 'None';
TRUE     : 'True';
AND      : 'and';
AS       : 'as';
ASSERT   : 'assert';
BREAK    : 'break';
CLASS    : 'class';
CONTINUE : 'continue';
DEF      : 'def';
DEL      : 'del';
ELIF     : 'elif';
ELSE     : 'else';
EXCEPT   : 'except';
FINALLY  : 'finally';
FOR      : 'for';
FROM     : 'from';
GLOBAL   : 'global';
IF       : 'if';
IMPORT   : 'import';
IN       : 'in';
IS       : 'is';
LAMBDA   : 'lambda';
NONLOCAL : 'nonlocal';
NOT      : 'not';
OR       : 'or';
PASS     : 'pass';
RAISE    : 'raise';
RETURN   : 'return';
TRY      : 'try';
WHILE    : 'while';
WITH     : 'with';
YIELD    : 'yield';

// Words that are keywords only in some positions (or only in some Python versions); the parser's
// `name` rule accepts them as identifiers too.
ASYNC    : 'async';
AWAIT    : 'await';
MATCH    : 'match';
CASE     : 'case';
TYPE     : 'type';
PRINT    : 'print';
EXEC     : 'exec';

// f-strings are one token; the model builder splits out replacement fields and parses them.
// Fields may nest strings with any quote (Python 3.12), other fields and format specs.
FSTRING : F_PREFIX (SQ3_F | DQ3_F | SQ_F | DQ_F);

STRING  : S_PREFIX? (SQ3 | DQ3 | SQ | DQ);

NUMBER  : (HEX | OCT | BIN | FLOAT | DIGITS) [lLjJ]?;

NAME    : ID_START ID_CONTINUE*;

NEWLINE : '\n';

ELLIPSIS      : '...';
DOT           : '.';
LPAR          : '(';
RPAR          : ')';
LSQB          : '[';
RSQB          : ']';
LBRACE        : '{';
RBRACE        : '}';
COMMA         : ',';
COLON         : ':';
SEMI          : ';';
BACKQUOTE     : '`';
ARROW         : '->';
WALRUS        : ':=';
ASSIGN        : '=';
ADD_ASSIGN    : '+=';
SUB_ASSIGN    : '-=';
MUL_ASSIGN    : '*=';
AT_ASSIGN     : '@=';
DIV_ASSIGN    : '/=';
FDIV_ASSIGN   : '//=';
MOD_ASSIGN    : '%=';
AND_ASSIGN    : '&=';
OR_ASSIGN     : '|=';
XOR_ASSIGN    : '^=';
LSHIFT_ASSIGN : '<<=';
RSHIFT_ASSIGN : '>>=';
POW_ASSIGN    : '**=';
PLUS          : '+';
MINUS         : '-';
STAR          : '*';
POWER         : '**';
SLASH         : '/';
FLOORDIV      : '//';
PERCENT       : '%';
AT            : '@';
LSHIFT        : '<<';
RSHIFT        : '>>';
AMP           : '&';
PIPE          : '|';
CARET         : '^';
TILDE         : '~';
LT            : '<';
GT            : '>';
LE            : '<=';
GE            : '>=';
EQ            : '==';
NE            : '!=';
NE_OLD        : '<>';

LINE_JOIN : '\\' [ \t\f]* '\n' -> skip;
WS        : [ \t\f]+ -> skip;
COMMENT   : '#' ~[\n]* -> skip;

// Anything else (stray '$', '?', '!', an unterminated quote, NUL...) is one token the parser rejects,
// so a bad character costs one statement, never the file.
ERRCHAR : .;

fragment S_PREFIX : [rRuUbB] | [rR] [bB] | [bB] [rR] | [uU] [rR];
fragment F_PREFIX : [fF] | [fF] [rR] | [rR] [fF];

fragment ESC : '\\' .;
fragment SQ  : '\'' (ESC | ~[\\\n'])* '\'';
fragment DQ  : '"' (ESC | ~[\\\n"])* '"';
fragment SQ3 : '\'\'\'' (ESC | ~'\\')*? '\'\'\'';
fragment DQ3 : '"""' (ESC | ~'\\')*? '"""';

// In f-strings "\{" is a backslash followed by a field; "\N{...}" is a named escape.
fragment ESC_F : '\\' ('N{' ~[}\n]* '}' | ~[{])?;
fragment SQ_F  : '\'' (ESC_F | ~[\\\n'{] | '{{' | FIELD)* '\'';
fragment DQ_F  : '"' (ESC_F | ~[\\\n"{] | '{{' | FIELD)* '"';
fragment SQ3_F : '\'\'\'' (ESC_F | ~[\\{] | '{{' | FIELD)*? '\'\'\'';
fragment DQ3_F : '"""' (ESC_F | ~[\\{] | '{{' | FIELD)*? '"""';
// A field never starts with '{': in literal text "{{" is always an escaped brace.
fragment FIELD       : '{' (FIELD_START FIELD_ELEM*)? '}';
fragment FIELD_START : ~[{}'"] | SQ3 | DQ3 | SQ | DQ;
fragment FIELD_ELEM  : FIELD_START | BRACES;
fragment BRACES      : '{' FIELD_ELEM* '}';

fragment DIGITS : [0-9] ('_'? [0-9])*;
fragment HEX    : '0' [xX] ('_'? [0-9a-fA-F])+;
fragment OCT    : '0' [oO] ('_'? [0-7])+;
fragment BIN    : '0' [bB] ('_'? [01])+;
fragment FLOAT  : DIGITS? '.' DIGITS EXP? | DIGITS '.' EXP? | DIGITS EXP;
fragment EXP    : [eE] [+-]? DIGITS;

fragment ID_START    : [\p{L}\p{Nl}_];
fragment ID_CONTINUE : [\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_];
