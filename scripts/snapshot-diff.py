#!/usr/bin/env python3
"""Reads the snapshot changes of the work tree against HEAD as word runs.

    INSTA_UPDATE=always cargo test --locked; python3 scripts/snapshot-diff.py

For every changed `.snap` file, the runs of words that changed (whitespace
collapsed, so a rewrapped paragraph shows only what it says differently), grouped
into patterns (SHA-1 values as H, `#N 'name'` as #N 'X'), most frequent first, with
one file each shows it in. Reading every pattern reads every change; a pattern seen
once is worth opening the file for.
"""
import subprocess, difflib, re, collections, sys
files=subprocess.run(['git','diff','--name-only'],capture_output=True,text=True).stdout.split()
pats=collections.Counter(); ex={}
for f in files:
    if not f.endswith('.snap'): continue
    old=subprocess.run(['git','show','HEAD:'+f],capture_output=True,text=True).stdout.split()
    new=open(f).read().split()
    sm=difflib.SequenceMatcher(None,old,new,autojunk=False)
    for op,a1,a2,b1,b2 in sm.get_opcodes():
        if op=='equal': continue
        o=' '.join(old[a1:a2]); n=' '.join(new[b1:b2])
        key=re.sub(r'[0-9A-F]{40}','H',o)+' ==> '+re.sub(r'[0-9A-F]{40}','H',n)
        key=re.sub(r"#\d+ '[^']*'","#N 'X'",key)
        pats[key]+=1; ex.setdefault(key,f)
for k,c in pats.most_common():
    print(c, '|', k[:700], '|', ex[k].split('/')[-1][:80]); print()
