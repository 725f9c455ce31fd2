# source: discourse/discourse Dockerfile
# commit: 05522674dbe510653536e9629f806ecfd309aac3
# url: https://github.com/discourse/discourse/blob/05522674dbe510653536e9629f806ecfd309aac3/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM ruby:2.1
