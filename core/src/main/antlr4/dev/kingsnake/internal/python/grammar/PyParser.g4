/*
 * Kingsnake's Python parser: Python 3.0-3.13 and the Python 2 statements old malware uses.
 *
 * Written for speed and error tolerance, not for rejecting every invalid program:
 * - the driver (PythonParser.java) parses one top-level statement at a time, so a syntax error
 *   costs one statement and parse trees never outlive one statement;
 * - statements are left-factored (an assignment is an expression statement with a tail), so
 *   prediction never scans a long target to choose between them;
 * - operators are two left-recursive rules with precedence alternatives instead of a
 *   one-rule-per-level chain, which keeps every atom a few rule levels deep.
 */
parser grammar PyParser;

options { tokenVocab = PyLexer; contextSuperClass = dev.kingsnake.internal.python.CompactContext; }

// ---- entry points -------------------------------------------------------------------------------

stmt
    : simple_stmts
    | compound_stmt
    | invalid_block
    ;

// A block header that did not parse (replaced by INVALID_LINE) keeps its body.
invalid_block
    : INVALID_LINE NEWLINE INDENT stmt+ DEDENT
    ;

// A replacement field of an f-string, parsed on its own.
field_expr
    : (yield_expr | testlist_star) NEWLINE* EOF
    ;

// ---- simple statements --------------------------------------------------------------------------

simple_stmts
    : simple_stmt (';' simple_stmt)* ';'? (NEWLINE | EOF)
    ;

// Alternative order matters where Python 2 and 3 readings overlap: `print >>f, x` is the
// Python 2 statement, `print(x)` and `exec(code)` are calls.
simple_stmt
    : PRINT '>>' test (',' test)* ','?                          # printRedirectStmt
    | expr_stmt                                                 # expressionStmt
    | PRINT test (',' test)* ','?                               # printStmt
    | EXEC expr (IN test (',' test)?)?                          # execStmt
    | DEL exprlist                                              # delStmt
    | PASS                                                      # passStmt
    | BREAK                                                     # breakStmt
    | CONTINUE                                                  # continueStmt
    | RETURN testlist_star?                                     # returnStmt
    | RAISE (test (FROM test | ',' test (',' test)?)?)?         # raiseStmt
    | GLOBAL name (',' name)*                                   # globalStmt
    | NONLOCAL name (',' name)*                                 # nonlocalStmt
    | IMPORT dotted_as_name (',' dotted_as_name)*               # importStmt
    | FROM import_from_module IMPORT
        ('*' | '(' import_as_names ')' | import_as_names)       # fromImportStmt
    | ASSERT test (',' test)?                                   # assertStmt
    | TYPE name type_params? '=' test                           # typeAliasStmt
    | INVALID_LINE                                              # invalidLineStmt
    ;

expr_stmt
    : (yield_expr | testlist_star)
      ( annassign
      | augassign (yield_expr | testlist_star)
      | ('=' (yield_expr | testlist_star))+
      )?
    ;

annassign
    : ':' test ('=' (yield_expr | testlist_star))?
    ;

augassign
    : '+=' | '-=' | '*=' | '@=' | '/=' | '%=' | '&=' | '|=' | '^=' | '<<=' | '>>=' | '**=' | '//='
    ;

dotted_as_name
    : dotted_name (AS name)?
    ;

import_from_module
    : ('.' | '...')* dotted_name
    | ('.' | '...')+
    ;

import_as_names
    : import_as_name (',' import_as_name)* ','?
    ;

import_as_name
    : name (AS name)?
    ;

dotted_name
    : name ('.' name)*
    ;

// ---- compound statements ------------------------------------------------------------------------

compound_stmt
    : if_stmt
    | while_stmt
    | for_stmt
    | try_stmt
    | with_stmt
    | funcdef
    | classdef
    | decorated
    | async_stmt
    | match_stmt
    ;

block
    : simple_stmts
    | NEWLINE INDENT stmt+ DEDENT
    ;

if_stmt
    : IF namedexpr_test ':' block elif_clause* (ELSE ':' else_block=block)?
    ;

elif_clause
    : ELIF namedexpr_test ':' block
    ;

while_stmt
    : WHILE namedexpr_test ':' block (ELSE ':' else_block=block)?
    ;

for_stmt
    : FOR exprlist IN testlist_star ':' block (ELSE ':' else_block=block)?
    ;

try_stmt
    : TRY ':' block
      ( except_clause+ (ELSE ':' else_block=block)? (FINALLY ':' finally_block=block)?
      | FINALLY ':' finally_block=block
      )
    ;

// `except E, e` is Python 2.
except_clause
    : EXCEPT '*'? (test (AS name | ',' test)?)? ':' block
    ;

with_stmt
    : WITH with_items ':' block
    ;

with_items
    : '(' with_item (',' with_item)* ','? ')'
    | with_item (',' with_item)*
    ;

with_item
    : test (AS expr)?
    ;

funcdef
    : DEF name type_params? parameters ('->' test)? ':' block
    ;

parameters
    : '(' typed_params? ')'
    ;

typed_params
    : typed_param (',' typed_param)* ','?
    ;

typed_param
    : name (':' (test | star_expr))? ('=' test)?                # plainParam
    | '*' (name (':' (test | star_expr))?)?                     # starParam
    | '**' name (':' test)?                                     # kwargsParam
    | '/'                                                       # slashParam
    | '(' fplist ')' ('=' test)?                                # tupleParam
    ;

// Python 2 tuple parameters: def f(a, (b, c)).
fplist
    : fpdef (',' fpdef)* ','?
    ;

fpdef
    : name
    | '(' fplist ')'
    ;

classdef
    : CLASS name type_params? ('(' arglist? ')')? ':' block
    ;

decorated
    : decorator+ (classdef | funcdef | ASYNC funcdef)
    ;

decorator
    : '@' namedexpr_test NEWLINE
    ;

async_stmt
    : ASYNC (funcdef | with_stmt | for_stmt)
    ;

type_params
    : '[' type_param (',' type_param)* ','? ']'
    ;

type_param
    : ('*' | '**')? name (':' test)? ('=' test)?
    ;

match_stmt
    : MATCH subject ':' NEWLINE INDENT case_block+ DEDENT
    ;

subject
    : (namedexpr_test | star_expr) (',' (namedexpr_test | star_expr))* ','?
    ;

case_block
    : CASE patterns (IF namedexpr_test)? ':' block
    ;

// Patterns are kept as source text in the model; this only has to accept them.
patterns
    : pattern (',' pattern)* ','?
    ;

pattern
    : closed_pattern ('|' closed_pattern)* (AS name)?
    ;

closed_pattern
    : '-'? NUMBER (('+' | '-') NUMBER)?
    | (STRING | FSTRING)+
    | NONE
    | TRUE
    | FALSE
    | name ('.' name)* ('(' pattern_args? ')')?
    | '(' patterns? ')'
    | '[' patterns? ']'
    | '{' mapping_items? '}'
    | '*' name
    ;

pattern_args
    : pattern_arg (',' pattern_arg)* ','?
    ;

pattern_arg
    : name '=' pattern
    | pattern
    ;

mapping_items
    : mapping_item (',' mapping_item)* ','?
    ;

mapping_item
    : '**' name
    | closed_pattern ':' pattern
    ;

// ---- expressions --------------------------------------------------------------------------------

testlist_star
    : (test | star_expr) (',' (test | star_expr))* ','?
    ;

exprlist
    : (expr | star_expr) (',' (expr | star_expr))* ','?
    ;

star_expr
    : '*' expr
    ;

yield_expr
    : YIELD (FROM test | testlist_star)?
    ;

namedexpr_test
    : test (':=' test)?
    ;

test
    : or_test (IF or_test ELSE test)?
    | lambdef
    ;

test_nocond
    : or_test
    | LAMBDA lambda_params? ':' test_nocond
    ;

lambdef
    : LAMBDA lambda_params? ':' test
    ;

lambda_params
    : lambda_param (',' lambda_param)* ','?
    ;

lambda_param
    : name ('=' test)?                                          # plainLambdaParam
    | '*' name?                                                 # starLambdaParam
    | '**' name                                                 # kwargsLambdaParam
    | '/'                                                       # slashLambdaParam
    | '(' fplist ')'                                            # tupleLambdaParam
    ;

// Boolean operators over comparisons. Earlier alternatives bind tighter.
or_test
    : NOT or_test                                               # notTest
    | or_test AND or_test                                       # andTest
    | or_test OR or_test                                        # orTest
    | expr (comp_op expr)*                                      # comparison
    ;

comp_op
    : '<' | '>' | '==' | '>=' | '<=' | '<>' | '!=' | IN | NOT IN | IS | IS NOT
    ;

// Everything from `|` up to primaries. Earlier alternatives bind tighter.
expr
    : expr '.' name                                             # attributeExpr
    | expr '(' arglist? ')'                                     # callExpr
    | expr '[' subscriptlist ']'                                # subscriptExpr
    | AWAIT expr                                                # awaitExpr
    | <assoc=right> expr op='**' expr                           # powerExpr
    | op=('+' | '-' | '~') expr                                 # unaryExpr
    | expr op=('*' | '@' | '/' | '//' | '%') expr               # binExpr
    | expr op=('+' | '-') expr                                  # binExpr
    | expr op=('<<' | '>>') expr                                # binExpr
    | expr op='&' expr                                          # binExpr
    | expr op='^' expr                                          # binExpr
    | expr op='|' expr                                          # binExpr
    | atom                                                      # atomExpr
    ;

atom
    : '(' (yield_expr | testlist_comp)? ')'                     # parenAtom
    | '[' testlist_comp? ']'                                    # listAtom
    | '{' dictorsetmaker? '}'                                   # braceAtom
    | '`' testlist_star '`'                                     # backquoteAtom
    | name                                                      # nameAtom
    | NUMBER                                                    # numberAtom
    | (STRING | FSTRING)+                                       # stringAtom
    | '...'                                                     # ellipsisAtom
    | NONE                                                      # noneAtom
    | TRUE                                                      # trueAtom
    | FALSE                                                     # falseAtom
    ;

testlist_comp
    : (namedexpr_test | star_expr) (comp_for | (',' (namedexpr_test | star_expr))* ','?)
    ;

subscriptlist
    : subscript (',' subscript)* ','?
    ;

subscript
    : namedexpr_test
    | star_expr
    | lower=test? ':' upper=test? (':' step=test?)?
    ;

dictorsetmaker
    : dict_item (comp_for | (',' dict_item)* ','?)
    | set_item (comp_for | (',' set_item)* ','?)
    ;

dict_item
    : test ':' test
    | '**' expr
    ;

set_item
    : namedexpr_test
    | star_expr
    ;

arglist
    : argument (',' argument)* ','?
    ;

argument
    : test (':=' test | '=' test | comp_for)?
    | '*' test
    | '**' test
    ;

comp_for
    : comp_clause+
    ;

comp_clause
    : ASYNC? FOR exprlist IN or_test (IF test_nocond)*
    ;

name
    : NAME
    | MATCH
    | CASE
    | TYPE
    | PRINT
    | EXEC
    | ASYNC
    | AWAIT
    ;
