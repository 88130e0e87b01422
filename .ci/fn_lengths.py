#!/usr/bin/env python3
"""Functions longer than N lines under a folder (a brace-counting reader, not
a parser): `python3 .ci/fn_lengths.py src 100`. Issue 19's closing note
counts with it; CI does not run it."""
import re,sys,os
res=[]
for root,_,files in os.walk(sys.argv[1]):
    for f in files:
        if not f.endswith('.rs'): continue
        p=os.path.join(root,f); lines=open(p).read().split('\n')
        i=0
        while i<len(lines):
            m=re.match(r'\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)',lines[i])
            if m:
                depth=0;started=False;j=i
                while j<len(lines):
                    s=re.sub(r'//.*','',lines[j]); s=re.sub(r'"(\\.|[^"\\])*"','""',s); s=re.sub(r"'(\\.|[^'\\])'","''",s)
                    for ch in s:
                        if ch=='{': depth+=1;started=True
                        elif ch=='}': depth-=1
                    if started and depth==0: break
                    if not started and s.strip().endswith(';'): break
                    j+=1
                if started: res.append((j-i+1,p,i+1,m.group(6)))
                i=i+1
            else: i+=1
th=int(sys.argv[2]) if len(sys.argv)>2 else 100
for n,p,l,name in sorted(res,reverse=True):
    if n>th: print(n,p,l,name)
